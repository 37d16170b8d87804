# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF ships no type information.)
"""One JSON submission of a citizen's answers, whichever door it comes through: the public API
(an app) and the kiosk's queue (a tablet) share this path and its errors. A door says where
the answers go and how it admits them; the questionnaire's rules (SurveyForm, through
forms.json_survey_form) and services.response_submit judge and store them.

    body (413/415/400) → the door's token (404/403) → a resend (the door's answer) →
    the open period (409 period_closed) → the answers (400) → admission (429) → one INSERT
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.core.intake.errors import InvalidInput
from mutu.core.intake.json_intake import JsonIntakeView
from mutu.core.intake.meta import SubmissionMeta
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import models, services
from mutu.surveys.api.common import period_closed
from mutu.surveys.api.payload import SubmissionSerializer
from mutu.surveys.forms import SurveyForm, json_path, json_survey_form


class AnswersIntakeView(JsonIntakeView):
    """The path; a door (subclass) fills in the steps that differ."""

    shape: type[SubmissionSerializer] = SubmissionSerializer

    def submit(self, request: Request, **kwargs: Any) -> Response:
        payload = self.payload(request, self.shape)
        door = self.door(kwargs["token"], payload["client_id"])
        if self.already_received(door, payload["client_id"]):
            return self.resent()
        target = self.target(door, payload)
        if target is None:
            raise period_closed()
        form = valid_form(payload, target)
        meta = self.meta(request, door, payload)
        stored = store(target, form, meta)
        return self.resent() if services.was_resent(stored) else self.stored(stored)

    # --- the door's steps ---

    def door(self, token: str, client_id: UUID) -> Any:
        """The link or device behind the token; raises NotFound (or Forbidden)."""
        raise NotImplementedError

    def already_received(self, door: Any, client_id: UUID) -> bool:
        raise NotImplementedError

    def target(self, door: Any, payload: dict[str, Any]) -> services.SurveyTarget | None:
        """Where the answers go, or None when no period takes them."""
        raise NotImplementedError

    def meta(self, request: Request, door: Any, payload: dict[str, Any]) -> SubmissionMeta:
        """The submission's meta; raises TooManyRequests past a hard limit."""
        raise NotImplementedError

    def resent(self) -> Response:
        """The answer to a client_id received before: it is never stored twice."""
        raise NotImplementedError

    def stored(self, response: models.Response) -> Response:
        raise NotImplementedError


def valid_form(payload: dict[str, Any], target: services.SurveyTarget) -> SurveyForm:
    """The questionnaire bound to the answers, valid, or InvalidInput naming each path."""
    form, unknown = json_survey_form(payload, target)
    if unknown:
        message = _("Tidak ada di kuesioner ini.")
        raise InvalidInput(
            _("Kiriman berisi jawaban untuk pertanyaan yang tidak ada."),
            fields={path: [message] for path in unknown},
        )
    if not form.is_valid():
        raise InvalidInput(
            _("Jawaban tidak lengkap atau tidak valid."),
            fields={
                json_path(name): [str(error["message"]) for error in errors]
                for name, errors in form.errors.get_json_data().items()
            },
        )
    return form


def store(target: services.SurveyTarget, form: SurveyForm, meta: SubmissionMeta) -> models.Response:
    """Store the answers (one statement on PostgreSQL); the service's refusals in the one
    error body, with the paths of the JSON body."""
    try:
        return services.response_submit(
            target=target,
            answers=form.answers(),
            profile=form.profile(),
            meta=meta,
            extra=form.extra_answers(),
        )
    except services.PeriodClosed:  # closed since the target was read (another worker)
        raise period_closed() from None
    except ValidationError as error:
        # The service names an unsur by its code and an own question by its form field.
        fields = (
            {
                json_path(f"u_{name}" if name in UNSUR_CODES else name): messages
                for name, messages in error.message_dict.items()
            }
            if hasattr(error, "error_dict")
            else {}
        )
        raise InvalidInput(" ".join(error.messages), fields=fields) from None
