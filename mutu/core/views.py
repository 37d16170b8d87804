import base64
import io
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutu.core import files, selectors
from mutu.core.account_events import CoreEvent
from mutu.core.dashboard import cards_for
from mutu.core.events import record_event
from mutu.core.forms import EventFilterForm, LoginForm, QueuedPasswordResetForm, TotpConfirmForm
from mutu.core.http import AuthedHttpRequest
from mutu.core.ratelimit import ratelimit


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    # Every box comes from an app (invitations, SKM work, reports ready, counts...), each scoped
    # to the user by its app.
    return render(request, "core/dashboard.html", {"cards": cards_for(request.user)})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for the load balancer and systemd."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@method_decorator(ratelimit("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response


@method_decorator(ratelimit("password_reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm


@login_required
def event_list(request: AuthedHttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    events = selectors.events_for(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/event_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
@require_safe
def private_file(request: AuthedHttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """The only way out for a private file: the owning app decides who may read it (0006)."""
    return files.serve(files.resolve(kind, request.user, pk))


def _qr_data_uri(device: TOTPDevice) -> str:
    # A data: URI keeps the secret off any URL and needs no inline style or script (CSP).
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def account_security(request: AuthedHttpRequest) -> HttpResponse:
    """Turn the optional TOTP second factor on or off."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        if confirmed and request.POST.get("action") == "disable":
            if confirmed.verify_token(token):
                TOTPDevice.objects.filter(user=user).delete()
                record_event(actor=user, verb=CoreEvent.ACCOUNT_2FA_DISABLED, obj=user)
                messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
                return redirect("core:account_security")
            form.add_error("token", _("Kode autentikator salah atau kedaluwarsa."))
        elif pending and request.POST.get("action") == "enable":
            if pending.verify_token(token):
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                otp_login(request, pending)
                record_event(actor=user, verb=CoreEvent.ACCOUNT_2FA_ENABLED, obj=user)
                messages.success(request, _("Verifikasi dua langkah aktif."))
                return redirect("core:account_security")
            form.add_error("token", _("Kode autentikator salah atau kedaluwarsa."))
    if not confirmed and pending is None:
        pending = TOTPDevice.objects.create(user=user, name="mutu", confirmed=False)
    context = {
        "form": form,
        "confirmed": confirmed,
        "pending": pending,
        "qr": _qr_data_uri(pending) if pending and not confirmed else "",
        "site_name": settings.MUTU_SITE_NAME,
    }
    return render(request, "core/account_security.html", context)
