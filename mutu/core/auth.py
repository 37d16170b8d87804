"""Small authentication helpers shared by settings and forms."""

from typing import Any

from django.http import HttpRequest


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """django-axes key: the email lower-cased, so ADMIN@x and admin@x share one counter."""
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    return normalise_email(request.POST.get("username"))
