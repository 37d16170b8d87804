# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""POST /api/v1/survei/<token>/respons/: one citizen's answers.

A submission takes the path the kiosk's queue takes too (api.intake): it is judged by the web
form's own rules (forms.json_survey_form) and stored by services.response_submit, and every
refusal is the toolkit's one error body. Every refusal changes nothing.
"""

from dataclasses import replace
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.core.intake import pow
from mutu.core.intake.errors import Conflict, InvalidInput
from mutu.core.intake.json_intake import too_many_requests
from mutu.core.intake.meta import SubmissionMeta
from mutu.core.ratelimit import client_ip
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Service
from mutu.surveys import models, selectors, services
from mutu.surveys.api.common import (
    LANGUAGE,
    TOKEN,
    TOKEN_SHAPE,
    UNAVAILABLE,
    error_response,
    unknown_link,
)
from mutu.surveys.api.intake import AnswersIntakeView
from mutu.surveys.api.payload import API_MAX_BYTES, StoredSerializer, SubmissionSerializer


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


FULL_EXAMPLE = {
    "client_id": "3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41",
    "answers": dict(zip(UNSUR_CODES, (3, 4, 3, 4, 3, 4, 4, 3, 3), strict=True)),
    "profile": {"gender": "P", "age_band": "30-39", "education": "SMA", "occupation": "Swasta"},
    "trust": 4,
    "suggestion": "Antrean pagi terlalu panjang.",
    "consent": True,
}


class SurveySubmissionView(AnswersIntakeView):
    """The API's door: a link token; a resend is 409 duplicate; the web form's rate limits
    (one budget per address, however it answers; a hard limit per link and address) and its
    proof-of-work. Refusals count in the junk bucket."""

    max_body_bytes = API_MAX_BYTES
    limits = services.PUBLIC_LIMITS
    shape = SubmissionSerializer

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
    def post(self, request: Request, **kwargs: Any) -> Response:
        return super().post(request, **kwargs)

    def door(self, token: str, client_id: UUID) -> models.SurveyLink:
        # A token of another shape never reaches the cache or the database.
        link = (
            selectors.link_with_resend_check(token, client_id)
            if TOKEN_SHAPE.fullmatch(token)
            else None
        )
        if link is None:
            raise unknown_link()
        return link

    def already_received(self, door: models.SurveyLink, client_id: UUID) -> bool:
        return bool(door.already_received)  # type: ignore[attr-defined]

    def target(
        self, door: models.SurveyLink, payload: dict[str, Any]
    ) -> services.SurveyTarget | None:
        target = selectors.target_for_link(door)
        if target is None:
            return None
        target = replace(target, channel=models.Response.Channel.WEB)
        return target.with_service(_chosen_service(door, payload.get("service")))

    def meta(
        self, request: Request, door: models.SurveyLink, payload: dict[str, Any]
    ) -> SubmissionMeta:
        # Past the hard limit it is refused; past the soft limit it is stored but flagged for
        # review, unless a proof as hard as the address's volume asks lifts the flag.
        admitted = services.PUBLIC_LIMITS.admit(door.pk, client_ip(request))
        if not admitted.admitted:
            raise too_many_requests(services.PUBLIC_LIMITS.accepted)
        proof = pow.judge(payload.get("altcha") or "")
        return SubmissionMeta.from_request(
            request,
            over_rate_limit=admitted.over_rate_limit(proof),
            pow_suspect=proof.verdict.is_suspect,
            client_id=payload["client_id"],
        )

    def resent(self) -> Response:
        raise Conflict(
            _("Jawaban ini sudah diterima sebelumnya; tidak disimpan dua kali."),
            code="duplicate",
        )

    def stored(self, response: models.Response) -> Response:
        message = _("Terima kasih! Jawaban Anda sudah kami terima.")
        return Response(StoredSerializer({"status": "stored", "message": message}).data, status=201)
