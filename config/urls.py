from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mutu.core import views as core_views

admin.site.site_header = "mutu — administrasi"
admin.site.site_title = "mutu"
# One sign-in page for everybody, with the rate limit, lockout and optional 2FA.
admin.site.login = core_views.LoginView.as_view()  # type: ignore[method-assign,assignment]

auth_patterns = [
    path("masuk/", core_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/lupa/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("akun/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("mutu.api.urls")),
    path("", include("mutu.organisations.urls")),
    path("", include("mutu.surveys.urls")),
    path("", include("mutu.reports.urls")),
    path("", include("mutu.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
