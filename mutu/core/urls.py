from django.urls import path

from mutu.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("log/", views.event_list, name="event_list"),
    path("berkas/<slug:kind>/<int:pk>/", views.private_file, name="private_file"),
    path("akun/keamanan/", views.account_security, name="account_security"),
]
