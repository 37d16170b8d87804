# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""GET /api/v1/survei/<token>/: the instrument behind a link (what /s/<token>/ shows), for apps
and other front-ends."""

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.core.intake.json_intake import PublicJsonView
from mutu.core.ratelimit import client_ip
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import models, selectors, services
from mutu.surveys.api.common import (
    LANGUAGE,
    TOKEN,
    TOKEN_SHAPE,
    UNAVAILABLE,
    error_response,
    period_closed,
    unknown_link,
)
from mutu.surveys.forms import NOT_APPLICABLE, PROFILE_FIELDS, SurveyForm
from mutu.surveys.instrument import (
    EXTRA_TEXT_MAX,
    STANDARD_QUESTIONS,
    TRUST_ANSWERS,
    TRUST_QUESTION,
    ExtraKind,
    ExtraQuestion,
)


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


def instrument(token: str, target: services.SurveyTarget, challenge: str) -> dict[str, Any]:
    """What the public form asks behind a link, from the same sources as the form, with the
    proof-of-work `challenge` for the asking address."""
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
        "pow_challenge": challenge,
    }


def _link_and_target(token: str) -> tuple[models.SurveyLink | None, Any]:
    if not TOKEN_SHAPE.fullmatch(token):
        return None, None
    return selectors.public_target(token)  # cached like the web form's


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
            400: error_response("Parameter lang selain id atau en (code invalid)."),
            404: error_response("Tautan tidak dikenal atau tidak aktif (code not_found)."),
            409: error_response("Tidak ada periode survei yang dibuka (code period_closed)."),
            503: UNAVAILABLE,
        },
    )
    def get(self, request: Request, token: str) -> Response:
        link, target = _link_and_target(token)
        if link is None:
            raise unknown_link()
        if target is None:
            raise period_closed()
        challenge = services.PUBLIC_LIMITS.challenge(client_ip(request))
        return Response(InstrumentSerializer(instrument(token, target, challenge)).data)
