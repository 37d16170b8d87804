import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_browser_asking_for_english_still_gets_indonesian(client):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()
    assert "Masuk" in response.content.decode()


@pytest.mark.django_db
def test_the_switch_cookie_chooses_english_and_unknown_cookie_falls_back(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get(reverse("core:home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="id">' in client.get(reverse("core:home")).content.decode()
