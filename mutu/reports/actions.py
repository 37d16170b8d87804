"""Who may have a report made (read by mutu.core.access)."""

from enum import StrEnum

from mutu.core.access import Grant
from mutu.core.access import Relation as R


class ReportAction(StrEnum):
    # A report runs a job and writes to the Pemda's event log, so it is a write, refused to the
    # read-only roles (national, provincial over others, inspector, evaluator). On a Pemda (the
    # recap for the head of region) only its admin; on a unit also the unit's head and operator.
    REQUEST_REPORT = "request_report"


ACTIONS = {ReportAction.REQUEST_REPORT: Grant.of(R.ADMIN, R.HEAD, R.OPERATOR)}
