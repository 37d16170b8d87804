"""Counter tablets: the kiosk page, its JSON queue and service worker, and the staff list."""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mutu.core.access import can
from mutu.core.http import AuthedHttpRequest, save_through_service
from mutu.core.permissions import deny_unless
from mutu.organisations import selectors as org_selectors
from mutu.organisations.models import Unit
from mutu.surveys import selectors, services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.api.kiosk import KioskSubmissionView, kiosk_meta
from mutu.surveys.models import KioskDevice
from mutu.surveys.views.public import survey_form_for


def _kiosk_or_refusal(token: str) -> tuple[Any, HttpResponse | None]:
    kiosk = selectors.kiosk_for_token(token)
    if kiosk is None:
        raise Http404
    if not kiosk.is_active:
        page = render_to_string("surveys/kiosk_revoked.html", {"unit": kiosk.unit})
        return kiosk, HttpResponse(page, status=403)
    return kiosk, None


def kiosk_page(request: HttpRequest, token: str) -> HttpResponse:
    """The counter tablet: the same questionnaire, full screen, resetting itself; kiosk.js
    queues answers in the browser while the network is down. Without JavaScript it still
    works as an ordinary form."""
    kiosk, refusal = _kiosk_or_refusal(token)
    if refusal:
        return refusal
    target = selectors.target_for_kiosk(kiosk)
    if target is None:
        return render(request, "surveys/public_closed.html", {"unit": kiosk.unit})
    form = survey_form_for(request, target)
    if request.method == "POST" and form.is_valid():
        meta = kiosk_meta(request, kiosk, None)
        stored = save_through_service(
            form,
            lambda: services.response_submit(
                target=target,
                answers=form.answers(),
                profile=form.profile(),
                meta=meta,
                extra=form.extra_answers(),
            ),
        )
        if stored:
            return redirect(f"{request.path}?terima=1")
    return render(
        request,
        "surveys/kiosk.html",
        {
            "form": form,
            "unit": kiosk.unit,
            "kiosk": kiosk,
            "period": target.period,
            "thanked": request.GET.get("terima") == "1",
            "endpoint": reverse("surveys:kiosk_submit", args=[token]),
        },
    )


# What a kiosk needs to show its form with no network: kept by its service worker.
KIOSK_ASSETS = (
    "css/survey.css",
    "js/kiosk.js",
    "img/favicon.svg",
    "img/face-1.svg",
    "img/face-2.svg",
    "img/face-3.svg",
    "img/face-4.svg",
)
KIOSK_SW_TEMPLATE = "surveys/kiosk_sw.js"


def _kiosk_assets_version(asset_urls: list[str]) -> str:
    """A digest of the assets (their addresses and bytes) and of the worker's own source: a
    deploy that changes any of them gives the worker a new cache, which replaces the old."""
    digest = hashlib.sha256("\n".join(asset_urls).encode())
    digest.update(get_template(KIOSK_SW_TEMPLATE).template.source.encode())  # type: ignore[attr-defined]
    for name in KIOSK_ASSETS:
        found = finders.find(name)
        if found:
            digest.update(Path(str(found)).read_bytes())
    return digest.hexdigest()[:16]


def kiosk_service_worker(request: HttpRequest) -> HttpResponse:
    """The kiosk's service worker, served under /kios/ so that its scope covers the kiosk pages
    and nothing else (a worker controls only pages under its own path). It holds no token."""
    asset_urls = [static(name) for name in KIOSK_ASSETS]
    scope = reverse("surveys:kiosk_service_worker").rsplit("/", 1)[0] + "/"
    config = {
        "version": _kiosk_assets_version(asset_urls),
        "assets": asset_urls,
        "scope": scope,
        "static": settings.STATIC_URL,
        "submit_suffix": "/kirim/",
    }
    response = render(
        request,
        KIOSK_SW_TEMPLATE,
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"  # a deploy must reach the tablets at once
    return response


# The tablet's queue posts here: the same JSON path and errors as the public API's submission.
kiosk_submit = KioskSubmissionView.as_view()


@login_required
@require_safe
def kiosk_list(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    """The unit's tablets. A kiosk's address holds its token: it is shown once, on the page
    that answers its registration (or a rotation), to those who manage the unit; the list
    shows only its first characters (issue 11)."""
    return _kiosk_list_page(request, org_selectors.unit_get(request.user, unit_pk))


@login_required
@require_POST
def kiosk_register(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    unit = org_selectors.unit_get(request.user, unit_pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_LINKS, unit))
    try:
        kiosk = services.kiosk_register(
            unit=unit, name=request.POST.get("name", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:kiosk_list", unit_pk=unit.pk)
    messages.success(request, _("Perangkat kios didaftarkan."))
    return _kiosk_list_page(request, unit, issued=kiosk)


@login_required
@require_POST
def kiosk_rotate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    kiosk = _managed_kiosk(request, pk)
    try:
        services.kiosk_rotate(kiosk=kiosk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:kiosk_list", unit_pk=kiosk.unit_id)
    messages.success(request, _("Alamat kios baru dibuat; alamat lama tidak berlaku lagi."))
    return _kiosk_list_page(request, kiosk.unit, issued=kiosk)


@login_required
@require_POST
def kiosk_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    kiosk = _managed_kiosk(request, pk)
    services.kiosk_revoke(kiosk=kiosk, actor=request.user)
    messages.success(request, _("Perangkat kios dicabut."))
    return redirect("surveys:kiosk_list", unit_pk=kiosk.unit_id)


def _managed_kiosk(request: AuthedHttpRequest, pk: int) -> KioskDevice:
    kiosk = selectors.kiosk_get(request.user, pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_LINKS, kiosk.unit))
    return kiosk


def _kiosk_list_page(
    request: AuthedHttpRequest, unit: Unit, issued: KioskDevice | None = None
) -> HttpResponse:
    """The list; after a registration or a rotation, with that kiosk's address in full."""
    response = render(
        request,
        "surveys/kiosk_list.html",
        {
            "unit": unit,
            "kiosks": selectors.kiosks_of(request.user, unit.pk),
            "can_manage": can(request.user, SurveyAction.MANAGE_LINKS, unit),
            "issued": issued,
            "issued_url": (
                request.build_absolute_uri(reverse("surveys:kiosk", args=[issued.token]))
                if issued
                else ""
            ),
        },
    )
    add_never_cache_headers(response)  # never keep a page that may show a token
    return response
