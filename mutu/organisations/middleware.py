"""Request middleware of the organisations: the signed-in user's own Pemda and its time zone."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mutu.core.access import scope_of
from mutu.organisations.permissions import pemdas_visible_to


def home_pemda(user: object) -> object | None:
    """The Pemda a signed-in user works for (their first scoped one), or None."""
    scope = scope_of(user)
    ids = sorted(scope.admin_pemdas | scope.inspected_pemdas | scope.unit_pemdas)
    if not ids:
        return None
    return pemdas_visible_to(user).filter(pk=ids[0]).first()


class PemdaTimezoneMiddleware:
    """Show times in the user's own Pemda time zone (WIB/WITA/WIT); default Asia/Jakarta."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.pemda = None  # type: ignore[attr-defined]
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            pemda = home_pemda(request.user)
            request.pemda = pemda  # type: ignore[attr-defined]
            if pemda is not None:
                timezone.activate(ZoneInfo(pemda.timezone))  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
