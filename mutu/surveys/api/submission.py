# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""Public JSON API of the SKM questionnaire, for apps and other front-ends:

    GET  /api/v1/survei/<token>/          the instrument behind a link (what /s/<token>/ shows)
    POST /api/v1/survei/<token>/respons/  one citizen's answers

A submission is judged by the web form's own rules: the JSON is mapped onto SurveyForm by the
same function as the kiosk's (forms.json_survey_form) and stored by services.response_submit.
Errors have one body (mutu.api.exceptions); every refusal changes nothing.
"""

import re
from dataclasses import replace
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.api.exceptions import (
    Conflict,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
)
from mutu.api.views import PublicJsonView
from mutu.core.params import strict_uuid
from mutu.core.ratelimit import client_ip
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Service
from mutu.surveys import admission, models, pow, selectors, services
from mutu.surveys.forms import (
    NOT_APPLICABLE,
    PROFILE_FIELDS,
    SurveyForm,
    json_path,
    json_survey_form,
)
from mutu.surveys.instrument import (
    EXTRA_TEXT_MAX,
    STANDARD_QUESTIONS,
    TRUST_ANSWERS,
    TRUST_QUESTION,
    ExtraKind,
    ExtraQuestion,
)

# A full questionnaire is about 1 KiB. The limit leaves room for a 2,000-character suggestion
# written entirely in emoji (12 bytes each as JSON escapes) and the unit's own open questions.
API_MAX_BYTES = 32 * 1024

# What SurveyLink tokens look like (secrets.token_urlsafe, at most 32 characters): anything else
# is refused before it reaches the cache or the database.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")

# --- the instrument (GET) -------------------------------------------------------------------


class NameSerializer(serializers.Serializer):
    name = serializers.CharField()


class ServiceChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Yang dikirim sebagai service.")
    name = serializers.CharField()


class UnitSerializer(serializers.Serializer):
    name = serializers.CharField()
    short_name = serializers.CharField(help_text="Singkatan; boleh kosong.")


class PeriodSerializer(serializers.Serializer):
    name = serializers.CharField()
    weighting = serializers.CharField(help_text="Pembobotan IKM: exact (1/9, resmi), 0.111, 0.11.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ScaleChoiceSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text="Yang dikirim: 1 (terburuk) … 4 (terbaik).")
    label = serializers.CharField()


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="Yang dikirim.")
    label = serializers.CharField(help_text="Yang ditampilkan.")


class UnsurSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=UNSUR_CODES)
    label = serializers.CharField(help_text="Nama unsur (PermenPANRB 14/2017).")
    question = serializers.CharField()
    answers = ScaleChoiceSerializer(many=True)
    skippable = serializers.BooleanField(
        help_text="Boleh dijawab null (“tidak berlaku bagi saya”) di unit ini."
    )


class TrustSerializer(serializers.Serializer):
    question = serializers.CharField()
    answers = ScaleChoiceSerializer(many=True)


class ProfileFieldSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=PROFILE_FIELDS)
    label = serializers.CharField()
    choices = OptionSerializer(many=True)


class ExtraQuestionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Kunci jawabannya di objek extra.")
    kind = serializers.ChoiceField(choices=ExtraKind.ALL)
    text = serializers.CharField()
    required = serializers.BooleanField()
    answers = ScaleChoiceSerializer(many=True, help_text="Untuk scale dan choice; text: kosong.")
    max_length = serializers.IntegerField(allow_null=True, help_text="Untuk text.")


class TextFieldSerializer(serializers.Serializer):
    label = serializers.CharField()
    max_length = serializers.IntegerField()


class ConsentSerializer(serializers.Serializer):
    text = serializers.CharField()


class InstrumentSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="Bahasa teks: id atau en.")
    pemda = NameSerializer()
    unit = UnitSerializer()
    service = NameSerializer(allow_null=True)
    services = ServiceChoiceSerializer(
        many=True,
        help_text="Layanan unit yang dapat dipilih responden (tautan tingkat unit dengan lebih "
        "dari satu layanan); kosong bila tautan sudah untuk satu layanan. Pilihan boleh "
        "dilewati (“Tidak tahu / lainnya”).",
    )
    period = PeriodSerializer()
    unsur = UnsurSerializer(many=True)
    not_applicable_label = serializers.CharField()
    trust = TrustSerializer(allow_null=True, help_text="null bila periode tidak menanyakannya.")
    extra = ExtraQuestionSerializer(many=True, help_text="Pertanyaan unit sendiri; bukan IKM.")
    profile = ProfileFieldSerializer(many=True)
    suggestion = TextFieldSerializer()
    consent = ConsentSerializer()
    submit_url = serializers.CharField()
    pow_challenge = serializers.CharField(
        help_text="Tantangan ALTCHA (base64 JSON, PBKDF2/SHA-256) yang dapat dipecahkan aplikasi "
        "dan dikirim sebagai altcha; berlaku dua jam, sekali pakai."
    )


def _scale(words: Any) -> list[dict[str, Any]]:
    return [{"value": i, "label": word} for i, word in enumerate(words, start=1)]


def _extra(question: ExtraQuestion) -> dict[str, Any]:
    text = question.kind == ExtraKind.TEXT
    return {
        "id": question.id,
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "answers": [] if text else _scale(question.answer_words()),
        "max_length": EXTRA_TEXT_MAX if text else None,
    }


def instrument(token: str, target: services.SurveyTarget, volume: int = 0) -> dict[str, Any]:
    """What the public form asks behind a link, from the same sources as the form; the
    proof-of-work's work rises with the asking address's accepted `volume`."""
    form = SurveyForm(
        ask_trust=target.period.ask_trust,
        skippable=target.skippable,
        extra_questions=target.extra_questions,
    )
    period, unit = target.period, target.unit
    return {
        "language": get_language(),
        "pemda": unit.pemda,
        "unit": unit,
        "service": target.service,
        "services": target.service_choices,
        "period": period,
        "unsur": [
            {
                "code": q.code,
                "label": models.Unsur(q.code).label,
                "question": q.question,
                "answers": _scale(q.answers),
                "skippable": q.code in target.skippable,
            }
            for q in STANDARD_QUESTIONS
        ],
        "not_applicable_label": NOT_APPLICABLE,
        "trust": (
            {"question": TRUST_QUESTION, "answers": _scale(TRUST_ANSWERS)}
            if period.ask_trust
            else None
        ),
        "extra": [_extra(q) for q in form.extra_questions],
        "profile": [
            {
                "name": name,
                "label": form.fields[name].label,
                "choices": [
                    {"value": value, "label": label}
                    for value, label in form.fields[name].choices  # type: ignore[attr-defined]
                    if value
                ],
            }
            for name in PROFILE_FIELDS
        ],
        "suggestion": {
            "label": form.fields["suggestion"].label,
            "max_length": form.fields["suggestion"].max_length,  # type: ignore[attr-defined]
        },
        "consent": {"text": form.fields["consent"].label},
        "submit_url": reverse("api:survey_submit", args=[token]),
        "pow_challenge": pow.new_challenge(volume),
    }


# --- the submission (POST) ------------------------------------------------------------------

ANSWER_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 4, "nullable": True}


def _choices_of(name: str) -> list[str]:
    model_field: Any = models.Response._meta.get_field(name)
    return ["", *(value for value, _label in model_field.choices)]


@extend_schema_field(
    {
        "type": "object",
        "description": "Setiap unsur 1–4 (1 terburuk, 4 terbaik); null hanya untuk unsur yang "
        "skippable di instrumen.",
        "properties": dict.fromkeys(UNSUR_CODES, ANSWER_SCHEMA),
        "required": list(UNSUR_CODES),
        "additionalProperties": False,
    }
)
class AnswersField(serializers.DictField):
    """Only the shape is checked here: the values are SurveyForm's business."""


@extend_schema_field(
    {
        "type": "object",
        "description": "Profil responden; setiap kolom boleh dilewati atau kosong.",
        "properties": {
            name: {"type": "string", "enum": _choices_of(name)} for name in PROFILE_FIELDS
        },
        "additionalProperties": False,
    }
)
class ProfileField(serializers.DictField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "description": "Jawaban pertanyaan unit sendiri: {id: nomor jawaban 1–n, atau teks} "
        "(lihat extra di instrumen).",
        "additionalProperties": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
    }
)
class ExtraAnswersField(serializers.DictField):
    pass


@extend_schema_field({**ANSWER_SCHEMA, "description": "Kepercayaan 1–4, bila ditanyakan."})
class TrustField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "boolean",
        "description": "Harus true: persetujuan pengolahan data (teks di consent.text); "
        "tanpa kolom ini sama dengan false.",
    }
)
class ConsentField(serializers.BooleanField):
    pass


class StrictUUIDField(serializers.UUIDField):
    """Only a UUID in its canonical text form (8-4-4-4-12 hex digits): DRF's own field also
    takes 0, 1, true, false and other integers, which every careless client would share."""

    def to_internal_value(self, data: Any) -> UUID:
        parsed = strict_uuid(data)
        if parsed is None:
            raise serializers.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


REQUIRED = {"required": gettext_lazy("Wajib diisi."), "null": gettext_lazy("Tidak boleh null.")}
AN_OBJECT = {**REQUIRED, "not_a_dict": gettext_lazy("Harus berupa objek JSON.")}


# The shape of a submission only. The rules for the values (1–4, which unsur may be skipped,
# the profile choices, consent, lengths) are the web form's: one set of rules.
class SubmissionSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Isi kiriman harus berupa objek JSON.")}

    client_id = StrictUUIDField(
        help_text="UUID acak (bentuk kanonik 8-4-4-4-12) yang dibuat aplikasi untuk kiriman "
        "ini. Kirim ulang dengan UUID yang sama bila jawaban server tidak sampai: tidak akan "
        "dihitung dua kali. Unik per tautan.",
        error_messages={**REQUIRED, "invalid": gettext_lazy("Harus berupa UUID.")},
    )
    answers = AnswersField(error_messages=AN_OBJECT)
    profile = ProfileField(required=False, error_messages=AN_OBJECT)
    trust = TrustField(required=False, allow_null=True)
    suggestion = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        help_text="Saran dan masukan, boleh kosong (panjang maksimum: suggestion.max_length "
        "di instrumen).",
        error_messages={**REQUIRED, "invalid": gettext_lazy("Harus berupa teks.")},
    )
    extra = ExtraAnswersField(required=False, error_messages=AN_OBJECT)
    service = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Id layanan yang digunakan (dari services di instrumen), bila tautan untuk "
        "seluruh unit; null atau tidak dikirim: tidak tahu / lainnya.",
        error_messages={"invalid": gettext_lazy("Harus berupa id layanan (bilangan bulat).")},
    )
    consent = ConsentField(
        required=False,
        error_messages={**REQUIRED, "invalid": gettext_lazy("Harus true atau false.")},
    )
    altcha = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=pow.MAX_PAYLOAD_CHARS,
        help_text="Bukti proof-of-work ALTCHA untuk pow_challenge dari instrumen (boleh tidak "
        "dikirim). Bukti palsu, kedaluwarsa atau terpakai ulang ditandai untuk ditinjau; bukti "
        "sah mencabut tanda batas laju per alamat.",
        error_messages={"invalid": gettext_lazy("Harus berupa teks.")},
    )

    def to_internal_value(self, data: Any) -> Any:
        # Stored as given: a key the API does not know is refused, never silently dropped.
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                message = gettext_lazy("Kolom tidak dikenal.")
                raise exceptions.ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)


class StoredSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["stored"])
    message = serializers.CharField(help_text="Ucapan terima kasih untuk ditampilkan.")


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="Satu kalimat untuk orang, dalam bahasa yang diminta.")
    code = serializers.CharField(
        help_text="Kata tetap untuk program: invalid, parse_error, unsupported_media_type, "
        "not_found, period_closed, duplicate, payload_too_large, rate_limited, unavailable."
    )
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Pesan per kolom, dengan jalur bertitik seperti answers.waktu.",
    )


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
        raise _period_closed() from None
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


# --- views ----------------------------------------------------------------------------------

LANGUAGE = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["id", "en"],
    description="Bahasa teks dan pesan galat: id (bawaan) atau en.",
)
TOKEN = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Token tautan survei, seperti pada alamat kode QR /s/<token>/.",
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


UNAVAILABLE = _error(
    "Basis data sedang tidak dapat dihubungi (code unavailable); tidak ada yang disimpan, "
    "kirim ulang setelah Retry-After."
)


def _link_and_target(token: str) -> tuple[models.SurveyLink | None, Any]:
    if not TOKEN_SHAPE.fullmatch(token):
        return None, None
    return selectors.public_target(token)  # cached like the web form's


def _unknown_link() -> NotFound:
    return NotFound(_("Tautan survei tidak dikenal atau sudah tidak aktif."))


def _period_closed() -> Conflict:
    return Conflict(
        _("Survei untuk unit ini belum dibuka atau sudah ditutup."), code="period_closed"
    )


class SurveyInstrumentView(PublicJsonView):
    @extend_schema(
        operation_id="survey_instrument",
        tags=["survei"],
        summary="Kuesioner SKM di balik sebuah tautan",
        description="Unit, layanan, Pemda, periode yang dibuka, sembilan unsur dengan "
        "pertanyaan dan empat kata jawabannya, unsur yang boleh dilewati, pertanyaan "
        "kepercayaan (bila ditanyakan), pertanyaan unit sendiri, kolom profil dengan "
        "pilihannya, dan teks persetujuan. Sama dengan yang ditampilkan formulir web.",
        parameters=[TOKEN, LANGUAGE],
        responses={
            200: OpenApiResponse(
                InstrumentSerializer, description="Kuesioner periode yang dibuka."
            ),
            400: _error("Parameter lang selain id atau en (code invalid)."),
            404: _error("Tautan tidak dikenal atau tidak aktif (code not_found)."),
            409: _error("Tidak ada periode survei yang dibuka (code period_closed)."),
            503: UNAVAILABLE,
        },
    )
    def get(self, request: Request, token: str) -> Response:
        link, target = _link_and_target(token)
        if link is None:
            raise _unknown_link()
        if target is None:
            raise _period_closed()
        volume = admission.recent_volume(client_ip(request))
        return Response(InstrumentSerializer(instrument(token, target, volume)).data)


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
            400: _error(
                "Jawaban tidak lengkap atau tidak valid, unsur tidak dikenal, persetujuan "
                "belum diberikan, JSON rusak (code parse_error) atau lang selain id/en; "
                "rincian di fields."
            ),
            404: _error("Tautan tidak dikenal atau tidak aktif (code not_found)."),
            409: _error(
                "Sudah diterima (code duplicate) atau periode ditutup (code period_closed)."
            ),
            413: _error("Kiriman terlalu besar (code payload_too_large)."),
            415: _error("Bukan application/json (code unsupported_media_type)."),
            429: _error(
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
            raise _unknown_link()
        if link.already_received:  # type: ignore[attr-defined]
            raise _already_received()
        target = selectors.target_for_link(link)
        if target is None:
            raise _period_closed()
        target = replace(target, channel=models.Response.Channel.WEB)
        target = target.with_service(_chosen_service(link, payload.get("service")))
        form = _valid_form(payload, target)
        admitted = _admit(request, link)
        proof = payload.get("altcha") or ""
        _store(request, target, form, payload["client_id"], admitted, proof)
        message = _("Terima kasih! Jawaban Anda sudah kami terima.")
        return Response(StoredSerializer({"status": "stored", "message": message}).data, status=201)
