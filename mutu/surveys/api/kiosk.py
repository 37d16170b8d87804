# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""POST /kios/<token>/kirim/: the kiosk queue's JSON endpoint (static/js/kiosk.js), on the same
path as the API's submission (api.intake) and with its error body. What is the kiosk's own:
the device token (a revoked tablet is 403), a resend answers 200 {"status": "duplicate"} so
the queue moves on, an answer keeps the moment it was given, and its rate is a flag per tablet,
never a refusal."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.core.intake.admission import over_limit_at
from mutu.core.intake.errors import Forbidden, NotFound
from mutu.core.intake.meta import SubmissionMeta
from mutu.core.ratelimit import client_ip
from mutu.surveys import models, selectors, services
from mutu.surveys.api.intake import AnswersIntakeView
from mutu.surveys.api.payload import KioskSubmissionSerializer

# A full questionnaire is about 1 KiB; a tablet sends nothing else.
KIOSK_MAX_BYTES = 8 * 1024
KIOSK_QUEUE_DAYS = 14  # how old a queued answer may be; older tablet clocks are not believed


def kiosk_answered_at(answered_at: Any) -> datetime | None:
    """When the tablet says the citizen answered, if that is believable (an ISO time with its
    zone, within the last two weeks); otherwise None (= now)."""
    try:
        moment = datetime.fromisoformat(str(answered_at))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    now = timezone.now()
    if not now - timedelta(days=KIOSK_QUEUE_DAYS) <= moment <= now + timedelta(minutes=5):
        return None
    return moment


def kiosk_meta(
    request: HttpRequest, kiosk: models.KioskDevice, answered_at: datetime | None, **fields: Any
) -> SubmissionMeta:
    """A kiosk answer's device (the tablet and its address) and its rate flag: more answers
    in one minute than people can give (settings.RATELIMITS["kiosk"]), counted by the minute
    the citizen answered, so a queue sent at once after an outage is not a burst."""
    moment = answered_at or timezone.now()
    burst = over_limit_at("kiosk", f"{kiosk.pk}:{client_ip(request)}", moment)
    return SubmissionMeta.from_request(
        request, over_rate_limit=burst, answered_at=answered_at, **fields
    )


class KioskSubmissionView(AnswersIntakeView):
    max_body_bytes = KIOSK_MAX_BYTES
    shape = KioskSubmissionSerializer

    @extend_schema(exclude=True)  # the tablet's own endpoint, not part of the public API
    def post(self, request: Request, **kwargs: Any) -> Response:
        return super().post(request, **kwargs)

    def door(self, token: str, client_id: UUID) -> models.KioskDevice:
        kiosk: models.KioskDevice | None = selectors.kiosk_for_token(token)
        if kiosk is None:
            raise NotFound(_("Perangkat kios tidak dikenal."))
        if not kiosk.is_active:
            raise Forbidden(_("Perangkat kios ini sudah dicabut."), code="revoked")
        return kiosk

    def already_received(self, door: models.KioskDevice, client_id: UUID) -> bool:
        # A resend after a lost reply: already counted, whatever happened since.
        return selectors.kiosk_answer_received(door, client_id)

    def target(
        self, door: models.KioskDevice, payload: dict[str, Any]
    ) -> services.SurveyTarget | None:
        return selectors.target_for_kiosk(door, kiosk_answered_at(payload.get("answered_at")))

    def meta(
        self, request: Request, door: models.KioskDevice, payload: dict[str, Any]
    ) -> SubmissionMeta:
        answered_at = kiosk_answered_at(payload.get("answered_at"))
        return kiosk_meta(request, door, answered_at, client_id=payload["client_id"])

    def resent(self) -> Response:
        return Response({"status": "duplicate"}, status=200)

    def stored(self, response: models.Response) -> Response:
        return Response({"status": "stored", "id": response.pk}, status=201)
