from django.urls import include, path


def boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
