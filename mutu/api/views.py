# mypy: allow-subclassing-any, allow-untyped-calls
# (DRF and drf-spectacular ship no type information.)
"""The documentation page at /api/docs/. What every public JSON view shares (the error body,
the language, the bounded parser) is the intake toolkit's: mutu.core.intake.json_intake."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator


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
