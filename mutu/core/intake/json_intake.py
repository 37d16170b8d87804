# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF ships no type information.)
"""One way in for a public JSON submission: size-limited, parsed with a depth bound, shaped by
a serializer, and every refusal in the one error body of mutu.core.intake.errors.

A domain's endpoint subclasses JsonIntakeView and writes `submit`; what it refuses (an
unknown token, a closed period) it raises as an errors.ApiError.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mutu.core.intake.admission import IntakeLimits
from mutu.core.intake.errors import InvalidInput, PayloadTooLarge, TooManyRequests
from mutu.core.ratelimit import client_ip


def _supported(language: str | None) -> bool:
    return language in {code for code, _name in settings.LANGUAGES}


def requested_language(request: HttpRequest) -> str:
    """?lang=en or ?lang=id; otherwise what the site chose (Bahasa Indonesia unless the
    language switch's cookie says English: mutu.core.middleware)."""
    asked = request.GET.get("lang")
    return asked if asked is not None and _supported(asked) else translation.get_language()


# How deep a request body may nest: a submission is three levels (body, section, value). The
# C decoder recurses per level, so a body of 20,000 "[" would otherwise end in RecursionError.
MAX_JSON_DEPTH = 8


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400 parse_error) what nests deeper than MAX_JSON_DEPTH."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise _too_deep()
        return data


def _too_deep() -> InvalidInput:
    return InvalidInput(_("Isi kiriman bersarang terlalu dalam."), code="parse_error")


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests deeper than `limit`, without recursing (the check must not fail
    the way the parser would)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


class PublicJsonView(APIView):
    """Base of the public endpoints for apps, tablets and other front-ends: JSON in, JSON out,
    no authentication at all.

    No authentication also means no CSRF check, on purpose: CSRF stops another site from
    using a browser's session cookie; these views read no cookie and act for nobody, so there
    is nothing to forge. (DRF exempts its views from Django's CSRF middleware and checks CSRF
    only inside SessionAuthentication, which is not used here.) What guards them is the token
    in the address, the per-IP rate limit and the flags on suspicious submissions.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (BoundedJSONParser,)
    renderer_classes = (JSONRenderer,)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        language = requested_language(request)
        # The bodies are built (and their texts translated) inside this block; the language
        # of the request is then given back, so that ?lang=en does not leak into the next
        # request served by this thread.
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        asked = request.query_params.get("lang")
        if asked is not None and not _supported(asked):
            raise InvalidInput(
                _("Bahasa tidak dikenal."), fields={"lang": [_("Pilih id atau en.")]}
            )
        super().initial(request, *args, **kwargs)


# Refusals counted in the junk bucket: they never count against valid submissions (issue 11).
JUNK_STATUSES = frozenset({400, 404, 413, 415})


def too_many_requests(bucket: str) -> TooManyRequests:
    return TooManyRequests(
        _("Terlalu banyak kiriman dari jaringan ini. Coba lagi nanti."),
        wait=settings.RATELIMITS[bucket][1],
    )


class JsonIntakeView(PublicJsonView):
    """A public POST of one JSON submission. `submit` reads it with `payload`; a refusal with
    a JUNK_STATUSES status counts in the junk bucket of `limits` (when given), and past that
    bucket's limit the answer is 429 instead: junk never turns away a valid submission."""

    max_body_bytes = 32 * 1024
    limits: IntakeLimits | None = None

    def post(self, request: Request, **kwargs: Any) -> Response:
        try:
            return self.submit(request, **kwargs)
        except exceptions.APIException as refusal:
            if refusal.status_code in JUNK_STATUSES:
                self._count_junk(request)
            raise

    def _count_junk(self, request: Request) -> None:
        limits = self.limits
        if limits is not None and not limits.count_junk(client_ip(request)):
            raise too_many_requests(limits.junk) from None

    def submit(self, request: Request, **kwargs: Any) -> Response:
        raise NotImplementedError

    def payload(self, request: Request, shape: type[serializers.Serializer]) -> dict[str, Any]:
        """The body, checked in this order: its size (413), JSON (415 for another content
        type, 400 parse_error), its shape (400 with a message per field)."""
        self._refuse_oversized(request)
        # request.data raises UnsupportedMediaType (415) or ParseError (400) for a body that
        # is not JSON; errors.json_exception_handler words both.
        checked = shape(data=request.data)
        if not checked.is_valid():
            raise exceptions.ValidationError(checked.errors)
        return dict(checked.validated_data)

    def _refuse_oversized(self, request: Request) -> None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > self.max_body_bytes or len(request.body) > self.max_body_bytes:
            raise PayloadTooLarge(
                _("Kiriman terlalu besar (paling banyak %(n)s KiB).")
                % {"n": self.max_body_bytes // 1024}
            )
