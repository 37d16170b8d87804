from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "mutu.surveys"
    label = "surveys"
    verbose_name = _("Survei kepuasan masyarakat")

    def ready(self) -> None:
        from mutu.surveys import signals

        signals.connect()
