# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""The shape of a submission's JSON body, as the OpenAPI schema documents it."""

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from mutu.core.intake import pow
from mutu.core.params import strict_uuid
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import models
from mutu.surveys.forms import PROFILE_FIELDS

# A full questionnaire is about 1 KiB. The limit leaves room for a 2,000-character suggestion
# written entirely in emoji (12 bytes each as JSON escapes) and the unit's own open questions.
API_MAX_BYTES = 32 * 1024


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


class KioskSubmissionSerializer(SubmissionSerializer):
    """What a kiosk tablet's queue sends (static/js/kiosk.js): a submission, and when the
    citizen answered. Not in the API's schema: the kiosk endpoint is the tablet's own."""

    answered_at = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=64,
        help_text="Waktu ISO 8601 dengan zona saat warga menjawab (antrean luring).",
        error_messages={"invalid": gettext_lazy("Harus berupa teks.")},
    )
