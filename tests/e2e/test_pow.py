"""A phone with JavaScript solves the proof-of-work while the citizen answers; the server
accepts it once and the response is stored without a flag."""

import base64
import json
import re
import time

import pytest
from django.urls import reverse

from mutu.surveys.models import Response
from tests.e2e.test_skm_flow import skm_world  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _wait_for_proof(field, started: float) -> str:
    # Polled from Python: the page's CSP forbids the eval behind Playwright's wait_for_function.
    while not field.input_value():
        assert time.perf_counter() - started < 30, "the proof-of-work was not solved"
        time.sleep(0.05)
    return field.input_value()


def test_phone_with_javascript_sends_a_proof_the_server_accepts(live_server, phone, skm_world):  # noqa: F811
    problems = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.goto(live_server.url + reverse("surveys:form", args=[skm_world["link"].token]))
    field = phone.locator("input[name=altcha]")
    time.sleep(0.3)
    assert field.input_value() == ""  # nothing runs before the citizen touches the form
    started = time.perf_counter()
    for index in range(9):
        phone.locator("fieldset.unsur").nth(index).locator("label").last.click()
    phone.get_by_label(re.compile("Saya setuju")).check()
    payload = json.loads(base64.b64decode(_wait_for_proof(field, started)))
    assert payload["solution"]
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_url(re.compile(r"/terima-kasih/$"))
    stored = Response.objects.get()
    assert stored.flag == "" and not problems, problems
