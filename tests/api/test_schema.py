"""The OpenAPI 3 schema at /api/schema/ and the documentation page at /api/docs/."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from tests.core.test_security import inline_code

pytestmark = pytest.mark.django_db

SUBMIT = "/api/v1/survei/{token}/respons/"
INSTRUMENT = "/api/v1/survei/{token}/"


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.0")
    assert set(schema["paths"]) == {INSTRUMENT, SUBMIT}


def test_the_schema_is_also_served_as_yaml_to_anyone(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.0")


def test_the_schema_describes_bodies_and_every_error(schema):
    submit = schema["paths"][SUBMIT]["post"]
    body = submit["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    submission = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]
    assert set(submission["required"]) == {"answers", "client_id"}
    assert set(submission["properties"]["answers"]["properties"]) >= {"persyaratan", "pengaduan"}
    assert set(submit["responses"]) == {"201", "400", "404", "409", "413", "415", "429", "503"}
    instrument = schema["paths"][INSTRUMENT]["get"]
    assert set(instrument["responses"]) == {"200", "400", "404", "409", "503"}
    error = {"$ref": "#/components/schemas/Error"}
    for op in (submit, instrument):
        for code, response in op["responses"].items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == error
                assert response["description"]
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"error", "code", "fields"}
    assert {p["name"] for p in submit["parameters"]} == {"token", "lang"}


def test_the_public_endpoints_ask_for_no_authentication(schema):
    for methods in schema["paths"].values():
        for op in methods.values():
            assert op["security"] == [{}]
    assert "securitySchemes" not in schema.get("components", {})


def test_the_docs_page_lists_the_endpoints_without_inline_code_or_cdn(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert inline_code(html) == []
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    # Every asset and link is mutu's own: no CDN. (Not "cdn" anywhere in the page: the random
    # CSRF token in hx-headers spells it now and then.)
    assert all(url.startswith(("/", "#")) for url in re.findall(r'(?:src|href)="([^"]*)"', html))
    assert f"POST {SUBMIT}" in html and f"GET {INSTRUMENT}" in html
    assert 'href="/api/schema/"' in html and 'href="/api/schema/?format=json"' in html
    assert "client_id" in html and "&quot;persyaratan&quot;: 3" in html  # fields and example
    assert "413" in html and "payload_too_large" in html
