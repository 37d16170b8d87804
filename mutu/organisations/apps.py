from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "mutu.organisations"
    label = "organisations"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from mutu.core.access import declare_actions
        from mutu.organisations.actions import ACTIONS

        declare_actions(self.label, ACTIONS)
