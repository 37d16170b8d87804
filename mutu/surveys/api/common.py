# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""What the SKM's JSON endpoints share: the token's shape, the OpenAPI parameters, the one error
body (mutu.core.intake.errors) and the refusals both give."""

import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from mutu.core.intake.errors import Conflict, NotFound

# What SurveyLink tokens look like (secrets.token_urlsafe, at most 32 characters): anything else
# is refused before it reaches the cache or the database.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


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


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


UNAVAILABLE = error_response(
    "Basis data sedang tidak dapat dihubungi (code unavailable); tidak ada yang disimpan, "
    "kirim ulang setelah Retry-After."
)


def unknown_link() -> NotFound:
    return NotFound(_("Tautan survei tidak dikenal atau sudah tidak aktif."))


def period_closed() -> Conflict:
    return Conflict(
        _("Survei untuk unit ini belum dibuka atau sudah ditutup."), code="period_closed"
    )
