# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""What every public API view shares, and the documentation page at /api/docs/."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from mutu.api.exceptions import InvalidInput


def _supported(language: str | None) -> bool:
    return language in {code for code, _name in settings.LANGUAGES}


def requested_language(request: HttpRequest) -> str:
    """?lang=en or ?lang=id; otherwise what the site chose (Bahasa Indonesia unless the
    language switch's cookie says English: mutu.core.middleware)."""
    asked = request.GET.get("lang")
    return asked if asked is not None and _supported(asked) else translation.get_language()


# How deep a request body may nest: a submission is three levels (body, answers, value). The
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
    """Base of the public endpoints for apps and other front-ends: JSON in, JSON out, no
    authentication at all.

    No authentication also means no CSRF check, on purpose: CSRF stops another site from
    using a browser's session cookie; these views read no cookie and act for nobody, so there
    is nothing to forge. (DRF exempts its views from Django's CSRF middleware and checks CSRF
    only inside SessionAuthentication, which is not used here.) What guards them is the token
    in the address, the per-IP rate limit and the flags on suspicious responses.
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


# --- documentation --------------------------------------------------------------------------


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body_fields: list[dict[str, Any]] = field(default_factory=list)
    examples: list[tuple[str, str]] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if not ref:
        return node
    name = ref.rsplit("/", 1)[-1]
    component: dict[str, Any] = schema["components"]["schemas"][name]
    return component


def _body(schema: dict[str, Any], op: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return [], []
    body = _resolve(schema, content["schema"])
    required = set(body.get("required", []))
    fields = [
        {
            "name": name,
            "type": prop.get("type", "object"),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in body.get("properties", {}).items()
    ]
    examples = [
        (example.get("summary", key), json.dumps(example["value"], indent=2, ensure_ascii=False))
        for key, example in content.get("examples", {}).items()
    ]
    return fields, examples


def operations(schema: dict[str, Any]) -> list[Operation]:
    """The endpoints of the OpenAPI schema, in the order of its paths."""
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body_fields, examples = _body(schema, op)
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    parameters=op.get("parameters", []),
                    body_fields=body_fields,
                    examples=examples,
                    responses=[
                        (code, r.get("description", "")) for code, r in op["responses"].items()
                    ],
                )
            )
    return found


def api_docs(request: HttpRequest) -> HttpResponse:
    """A plain page made from the OpenAPI schema: Swagger UI and Redoc load their scripts and
    styles from a CDN and use inline code, which our CSP forbids and intranets block."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"schema_info": schema["info"], "operations": operations(schema)},
    )
