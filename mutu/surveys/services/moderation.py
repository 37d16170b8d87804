"""Quarantine, release and review requests of responses."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutu.core.access import require
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.params import refuse_nul
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.models import Response, ReviewRequest


def response_quarantine(*, response: Response, actor: User | None, reason: str) -> Response:
    responses_quarantine(responses=[response], actor=actor, reason=reason)
    return response


def response_release(*, response: Response, actor: User | None, reason: str = "") -> Response:
    responses_release(responses=[response], actor=actor, reason=reason)
    return response


def responses_quarantine(
    *, responses: list[Response], actor: User | None, reason: str
) -> list[Response]:
    """Take responses out of the official IKM, with one reason for all. Only the Pemda admin:
    a unit (its head or operator) never quarantines its own responses."""
    reason = _moderation_reason(reason, _("Alasan karantina"))
    if not reason:
        raise ValidationError(_("Alasan karantina wajib diisi."))
    return _moderate(responses, actor, quarantine=True, reason=reason)


def responses_release(
    *, responses: list[Response], actor: User | None, reason: str = ""
) -> list[Response]:
    """Count quarantined responses again; the reason, if given, goes to the event log."""
    return _moderate(
        responses, actor, quarantine=False, reason=_moderation_reason(reason, _("Alasan"))
    )


def _moderation_reason(reason: str, label: str) -> str:
    return refuse_nul(reason or "", label).strip()[:255]


def _moderate(
    responses: list[Response], actor: User | None, *, quarantine: bool, reason: str
) -> list[Response]:
    if not responses:
        raise ValidationError(_("Pilih minimal satu respons."))
    for unit in {r.unit_id: r.unit for r in responses}.values():
        require(actor, SurveyAction.MODERATE_RESPONSES, unit)
    verb = SurveyEvent.RESPONSE_QUARANTINED if quarantine else SurveyEvent.RESPONSE_RELEASED
    with transaction.atomic():
        for response in responses:
            response.quarantined = quarantine
            fields = ["quarantined"]
            if quarantine:
                response.quarantine_reason = reason
                fields.append("quarantine_reason")
            response.save(update_fields=fields)
            record_event(
                actor=actor,
                verb=verb,
                obj=response,
                pemda=response.unit.pemda,
                data={"reason": reason or response.quarantine_reason},
            )
        # The admin has decided: the unit's requests for a review of these are answered.
        ReviewRequest.objects.filter(response__in=responses, closed_at=None).update(
            closed_at=timezone.now()
        )
    return responses


def review_request(*, responses: list[Response], actor: User, reason: str) -> list[ReviewRequest]:
    """A unit head asks the Pemda admin to review responses of the unit, with a reason; the
    requests are listed on the admin's flagged-responses page."""
    reason = _moderation_reason(reason, _("Alasan tinjauan"))
    if not reason:
        raise ValidationError(_("Alasan permintaan tinjauan wajib diisi."))
    if not responses:
        raise ValidationError(_("Pilih minimal satu respons."))
    for unit in {r.unit_id: r.unit for r in responses}.values():
        require(actor, SurveyAction.REQUEST_REVIEW, unit)
    with transaction.atomic():
        requests = ReviewRequest.objects.bulk_create(
            ReviewRequest(response=r, requested_by=actor, reason=reason) for r in responses
        )
        for response in responses:
            record_event(
                actor=actor,
                verb=SurveyEvent.RESPONSE_REVIEW_REQUESTED,
                obj=response,
                pemda=response.unit.pemda,
                data={"reason": reason},
            )
    return requests
