"""/api/: version 1 of the endpoints (each app's views live in <app>/api), the OpenAPI 3
schema and its documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from mutu.api.views import api_docs
from mutu.surveys import api as surveys_api

app_name = "api"

v1 = [
    path(
        "survei/<str:token>/",
        surveys_api.SurveyInstrumentView.as_view(),
        name="survey_instrument",
    ),
    path(
        "survei/<str:token>/respons/",
        surveys_api.SurveySubmissionView.as_view(),
        name="survey_submit",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]
