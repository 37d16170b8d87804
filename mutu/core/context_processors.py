from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mutu.core.access import scope_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu for the signed-in user's roles; every target view checks permissions itself."""
    user = getattr(request, "user", None)
    pemda = getattr(request, "pemda", None)
    items: list[tuple[object, str]] = []
    if user is not None and user.is_authenticated:
        scope = scope_of(user)
        items.append((_("Dasbor"), reverse("core:dashboard")))
        items.append((_("Pemda"), reverse("organisations:pemda_list")))
        items.append((_("Unit & layanan"), reverse("organisations:unit_list")))
        items.append((_("Survei (SKM)"), reverse("surveys:period_list")))
        if scope.everything or scope.admin_pemdas:
            items.append((_("Kalender kerja"), reverse("organisations:holiday_list")))
        if scope.everything or scope.admin_pemdas or scope.inspected_pemdas:
            items.append((_("Log peristiwa"), reverse("core:event_list")))
        people_of = sorted(scope.admin_pemdas | scope.inspected_pemdas)
        if people_of:
            items.append((_("Pengguna"), reverse("organisations:member_list", args=[people_of[0]])))
        if user.is_staff:
            items.append((_("Admin"), reverse("admin:index")))
    return {
        "nav_items": items,
        "nav_roles": sorted(scope_of(user).roles) if user is not None else [],
        "current_pemda": pemda,
        "demo_mode": settings.MUTU_DEMO or bool(pemda and pemda.is_demo),
    }
