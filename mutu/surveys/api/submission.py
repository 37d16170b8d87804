# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""POST /api/v1/survei/<token>/respons/: one citizen's answers.

A submission is judged by the web form's own rules: the JSON is mapped onto SurveyForm by the
same function as the kiosk's (forms.json_survey_form) and stored by services.response_submit.
Every refusal changes nothing.
"""

from dataclasses import replace
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.api.exceptions import Conflict, InvalidInput, PayloadTooLarge, TooManyRequests
from mutu.api.views import PublicJsonView
from mutu.core.ratelimit import client_ip
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Service
from mutu.surveys import admission, models, pow, selectors, services
from mutu.surveys.api.common import (
    LANGUAGE,
    TOKEN,
    TOKEN_SHAPE,
    UNAVAILABLE,
    error_response,
    period_closed,
    unknown_link,
)
from mutu.surveys.api.payload import API_MAX_BYTES, StoredSerializer, SubmissionSerializer
from mutu.surveys.forms import SurveyForm, json_path, json_survey_form


def _too_many(bucket: str) -> TooManyRequests:
    return TooManyRequests(
        _("Terlalu banyak kiriman dari jaringan ini. Coba lagi nanti."),
        wait=settings.RATELIMITS[bucket][1],
    )


def _admit(request: Request, link: models.SurveyLink) -> admission.Admission:
    """Count this valid submission in the web form's buckets (one budget per address, however
    it answers; a hard limit per link and address). Past the hard limit it is refused; past
    the soft limit it is stored but flagged for review, unless a proof lifts the flag."""
    admitted = admission.admit(link.pk, client_ip(request))
    if not admitted.admitted:
        raise _too_many("survey")
    return admitted


# Refusals counted in the junk bucket: they never count against valid answers (issue 11).
JUNK_STATUSES = frozenset({400, 404, 413, 415})


def _refuse_oversized(request: Request) -> None:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > API_MAX_BYTES or len(request.body) > API_MAX_BYTES:
        raise PayloadTooLarge(
            _("Kiriman terlalu besar (paling banyak %(n)s KiB).") % {"n": API_MAX_BYTES // 1024}
        )


def _submission_payload(request: Request) -> dict[str, Any]:
    # request.data raises UnsupportedMediaType (415) or ParseError (400) for a body that is
    # not JSON; mutu.api.exceptions words both.
    shape = SubmissionSerializer(data=request.data)
    if not shape.is_valid():
        raise exceptions.ValidationError(shape.errors)
    return dict(shape.validated_data)


def _link_for_submission(token: str, client_id: UUID) -> models.SurveyLink | None:
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    return selectors.link_with_resend_check(token, client_id)


def _valid_form(payload: dict[str, Any], target: services.SurveyTarget) -> SurveyForm:
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


def _chosen_service(link: models.SurveyLink, service_id: int | None) -> Service | None:
    """The service a citizen picked on a unit-level link: an active service of the link's
    unit (one query, only when one is sent). A link for one service keeps its own."""
    if service_id is None or service_id == link.service_id:
        return None
    if link.service_id is not None:
        raise InvalidInput(
            _("Tautan ini sudah untuk satu layanan."),
            fields={"service": [_("Tautan ini sudah untuk layanan lain.")]},
        )
    service = Service.objects.filter(pk=service_id, unit_id=link.unit_id, is_active=True).first()
    if service is None:
        raise InvalidInput(
            _("Layanan tidak dikenal di unit ini."),
            fields={"service": [_("Bukan layanan aktif unit ini.")]},
        )
    return service


def _already_received() -> Conflict:
    return Conflict(
        _("Jawaban ini sudah diterima sebelumnya; tidak disimpan dua kali."), code="duplicate"
    )


def _store(
    request: Request,
    target: services.SurveyTarget,
    form: SurveyForm,
    client_id: UUID,
    admitted: admission.Admission,
    payload: str,
) -> None:
    proof = pow.judge(payload)
    meta = services.SubmissionMeta(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        over_rate_limit=admitted.over_rate_limit(proof),
        pow_suspect=proof.verdict.is_suspect,
        client_id=client_id,
    )
    try:
        stored = services.response_submit(
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
    if services.was_resent(stored):
        # The same client_id sent twice at the same moment: both passed the resend check, the
        # unique constraint (per link) refused this one's INSERT.
        raise _already_received()


FULL_EXAMPLE = {
    "client_id": "3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41",
    "answers": dict(zip(UNSUR_CODES, (3, 4, 3, 4, 3, 4, 4, 3, 3), strict=True)),
    "profile": {"gender": "P", "age_band": "30-39", "education": "SMA", "occupation": "Swasta"},
    "trust": 4,
    "suggestion": "Antrean pagi terlalu panjang.",
    "consent": True,
}


class SurveySubmissionView(PublicJsonView):
    @extend_schema(
        operation_id="survey_submit",
        tags=["survei"],
        summary="Kirim jawaban satu responden",
        description="Dinilai dengan aturan yang sama dengan formulir web. Pemeriksaan "
        "berurutan: ukuran (413), JSON (415/400), tautan (404), client_id yang sudah diterima "
        "(409 duplicate), periode (409 period_closed), jawaban (400; juga kolom yang tidak "
        "dikenal), batas kiriman per tautan dan alamat IP (429). Kiriman yang ditolak "
        "dihitung terpisah: terlalu banyak penolakan dari satu alamat hanya membuat penolakan "
        "berikutnya 429, tidak pernah jawaban yang sah. Setiap penolakan tidak mengubah apa "
        "pun. Bila jawaban server tidak sampai, kirim ulang dengan client_id yang sama: 409 "
        "duplicate berarti sudah diterima.",
        parameters=[TOKEN, LANGUAGE],
        request=SubmissionSerializer,
        examples=[OpenApiExample("Lengkap", value=FULL_EXAMPLE, request_only=True)],
        responses={
            201: OpenApiResponse(StoredSerializer, description="Tersimpan, sekali saja."),
            400: error_response(
                "Jawaban tidak lengkap atau tidak valid, unsur tidak dikenal, persetujuan "
                "belum diberikan, JSON rusak (code parse_error) atau lang selain id/en; "
                "rincian di fields."
            ),
            404: error_response("Tautan tidak dikenal atau tidak aktif (code not_found)."),
            409: error_response(
                "Sudah diterima (code duplicate) atau periode ditutup (code period_closed)."
            ),
            413: error_response("Kiriman terlalu besar (code payload_too_large)."),
            415: error_response("Bukan application/json (code unsupported_media_type)."),
            429: error_response(
                "Terlalu banyak kiriman dari alamat ini (code rate_limited); lihat Retry-After."
            ),
            503: UNAVAILABLE,
        },
    )
    def post(self, request: Request, token: str) -> Response:
        try:
            return self._submit(request, token)
        except exceptions.APIException as refusal:
            # Junk counts in its own bucket: past it only junk is refused, never a valid
            # answer from the same (shared) address.
            junk = refusal.status_code in JUNK_STATUSES
            if junk and not admission.count_junk(client_ip(request)):
                raise _too_many("survey_junk") from None
            raise

    def _submit(self, request: Request, token: str) -> Response:
        _refuse_oversized(request)
        payload = _submission_payload(request)
        link = _link_for_submission(token, payload["client_id"])
        if link is None:
            raise unknown_link()
        if link.already_received:  # type: ignore[attr-defined]
            raise _already_received()
        target = selectors.target_for_link(link)
        if target is None:
            raise period_closed()
        target = replace(target, channel=models.Response.Channel.WEB)
        target = target.with_service(_chosen_service(link, payload.get("service")))
        form = _valid_form(payload, target)
        admitted = _admit(request, link)
        proof = payload.get("altcha") or ""
        _store(request, target, form, payload["client_id"], admitted, proof)
        message = _("Terima kasih! Jawaban Anda sudah kami terima.")
        return Response(StoredSerializer({"status": "stored", "message": message}).data, status=201)
