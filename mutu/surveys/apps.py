from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "mutu.surveys"
    label = "surveys"
    verbose_name = _("Survei kepuasan masyarakat")

    def ready(self) -> None:
        from mutu.core.access import declare_actions
        from mutu.surveys.actions import ACTIONS

        declare_actions(self.label, ACTIONS)

        from mutu.organisations import unit_page
        from mutu.surveys.unit_panel import skm_panel

        unit_page.register(skm_panel)

        from mutu.surveys import signals

        signals.connect()
