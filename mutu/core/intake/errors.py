# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""One error body for every JSON answer that is not a success, whichever public endpoint gives
it (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"] is json_exception_handler):

    {"error": "<one sentence for people>", "code": "<a stable word for programs>",
     "fields": {"answers.waktu": ["Jawaban harus 1 sampai 4."], ...}}  (the SKM's, e.g.)

`error` is in Bahasa Indonesia, or English with ?lang=en; `code` never changes with the
language, so an app can tell "already received" from "closed" (both 409); `fields` names the
place in the request body, as dotted paths.
"""

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error of ours: a message for people and, where fields are at fault, their messages."""

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        code: str | None = None,
        wait: int | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.fields = fields or {}
        self.wait = wait  # DRF's handler turns it into a Retry-After header


class InvalidInput(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


class Forbidden(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "forbidden"


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


class TooManyRequests(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "rate_limited"


def _standard_message(exc: Exception) -> str:
    """Our own words for what DRF and Django raise themselves (their texts are English or only
    partly translated)."""
    if isinstance(exc, exceptions.ParseError):
        return _("Isi kiriman bukan JSON yang sah.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kirim isi sebagai JSON (Content-Type: application/json).")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Metode ini tidak dapat dipakai di alamat ini.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Jawaban hanya tersedia sebagai application/json.")
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _("Alamat tidak ditemukan.")
    if isinstance(exc, exceptions.ValidationError):
        return _("Kiriman tidak valid.")
    detail = getattr(exc, "detail", "")
    return str(detail) if isinstance(detail, str) else _("Permintaan tidak dapat diproses.")


def _code(exc: Exception) -> str:
    if isinstance(exc, Http404):
        return "not_found"
    code = getattr(getattr(exc, "detail", None), "code", None)
    return str(code or getattr(exc, "default_code", "error"))


def flatten_errors(detail: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as one list of messages per dotted path."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat |= flatten_errors(value, f"{path}.{key}" if path else str(key))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {path or api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in messages]}


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


# How long an app should wait before retrying when the database cannot be reached.
RETRY_AFTER_DATABASE_DOWN = 30


def _database_down(exc: Exception) -> ServiceUnavailable | None:
    """The database cannot be reached (down, restarting, out of connections): an answer in the
    API's own body, 503 with Retry-After, so that an app keeps its submission and tries again.
    A refused write (IntegrityError, DataError) is not this: it is a bug and stays a 500."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    logger.error("API: database unavailable", exc_info=exc)
    return ServiceUnavailable(
        _("Layanan sedang tidak tersedia. Jawaban belum disimpan; coba lagi sebentar lagi."),
        wait=RETRY_AFTER_DATABASE_DOWN,
    )


def json_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every API error in the one body above."""
    exc = _database_down(exc) or exc
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error but a bug: Django's 500 handling and logging take it
    if isinstance(exc, ApiError):
        message, fields = str(exc.detail), exc.fields
    else:
        detail = getattr(exc, "detail", None)
        fields = flatten_errors(detail) if isinstance(exc, exceptions.ValidationError) else {}
        message = _standard_message(exc)
    response.data = {"error": message, "code": _code(exc), "fields": fields}
    return response
