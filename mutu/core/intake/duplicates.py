"""The duplicate judgement: a submission with the same content as a recent one from the same
source is flagged for review, never refused (two people may well give the same answers; a
double tap or a script gives them twice in a row).

The judgement is written into the INSERT itself (mutu.core.sql.case_exists), so it costs no
query of its own (docs/decisions/0004-one-statement-submission.md). A domain decides what its
source and content are: e.g. a digest of the device and one of the answers, made with
meta.keyed_digest.
"""

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models.expressions import RawSQL

from mutu.core.intake.meta import ReviewFlag
from mutu.core.sql import case_exists


def flag_if_repeated(
    model: type[models.Model],
    *,
    same: dict[str, Any],
    since: tuple[str, datetime],
    otherwise: str,
) -> str | RawSQL:
    """ReviewFlag.DUPLICATE when `model` has a row with the `same` values whose `since` field
    (name, moment) is at or after the moment; `otherwise` when not. Decided by the INSERT."""
    return case_exists(
        model, equal=same, since=since, then=ReviewFlag.DUPLICATE.value, otherwise=otherwise
    )
