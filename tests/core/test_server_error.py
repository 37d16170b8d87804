import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.urls_boom")
def test_an_unexpected_error_shows_the_friendly_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in html
    assert "simulated failure" not in html and "Traceback" not in html
