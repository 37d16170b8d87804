"""Small authentication helpers shared by settings and forms."""

import ipaddress
from typing import Any

from django.http import HttpRequest

from mutu.core.ratelimit import client_ip


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """django-axes key: the email lower-cased, so ADMIN@x and admin@x share one counter."""
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    return normalise_email(request.POST.get("username"))


def axes_client_ip(request: HttpRequest) -> str | None:
    """django-axes key: the client address the rate limiter uses (behind nginx, its X-Real-IP),
    or None where there is none or it is not an address (axes stores it in an inet column)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
