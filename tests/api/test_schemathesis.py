"""Schemathesis against our own OpenAPI schema: generated requests, valid and invalid, must get
an answer the schema documents (status, content type, body), never a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.slow  # generated requests

# Loaded once, through the app itself; the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """A real WSGI call closes a connection left inside a transaction at the end of the
    request (close_old_connections), which on PostgreSQL ends the test's transaction. Django's
    test client switches that off in the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def link(db):
    return SurveyLinkFactory(unit=PeriodUnitFactory().unit)


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_generated_request_gets_a_documented_answer(case, link):
    token = (case.path_parameters or {}).get("token")
    if token is not None and len(token) % 2 == 0:
        case.path_parameters["token"] = link.token  # half of the cases reach an open link
    # Not checked: that every schema-valid body is accepted. Which unsur a unit lets skip
    # (null) and which own questions it asks (extra) differ per unit; the instrument says it
    # at run time, the schema cannot.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
