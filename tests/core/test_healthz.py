"""/healthz: what the load balancer and systemd ask."""

from unittest import mock

from django.db import OperationalError, connection
from django.urls import reverse


def test_healthz_is_ok_with_a_database(client, db):
    response = client.get("/healthz")

    assert reverse("healthz") == "/healthz"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_sign_in(client, db):
    response = client.get("/healthz", follow=False)

    assert response.status_code == 200
    assert "Location" not in response


def test_healthz_reports_503_when_the_database_is_unreachable(client, db):
    outage = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connection, "cursor", side_effect=outage) as cursor:
        response = client.get("/healthz")

    assert cursor.called
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_healthz_after_an_outage_is_ok_again(client, db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        assert client.get("/healthz").status_code == 503

    assert client.get("/healthz").status_code == 200


def test_healthz_refuses_post(client, db):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
