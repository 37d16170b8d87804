"""A made-up public JSON endpoint (a complaint desk) built only from the intake toolkit."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.response import Response

from mutu.core.intake.admission import IntakeLimits
from mutu.core.intake.errors import Conflict, Forbidden
from mutu.core.intake.json_intake import JsonIntakeView


class ComplaintShape(serializers.Serializer):
    subject = serializers.CharField(max_length=20)
    details = serializers.DictField(child=serializers.IntegerField(), required=False)


class ComplaintView(JsonIntakeView):
    max_body_bytes = 1024
    limits = IntakeLimits(accepted="complaint", junk="complaint_junk")

    def submit(self, request, desk):
        if desk == "closed":
            raise Conflict("Loket ditutup.", code="desk_closed")
        if desk == "revoked":
            raise Forbidden("Loket dicabut.")
        payload = self.payload(request, ComplaintShape)
        return Response({"status": "stored", "subject": payload["subject"]}, status=201)


urlpatterns = [
    path("aduan/<str:desk>/", ComplaintView.as_view()),
    path("", include("config.urls")),
]
