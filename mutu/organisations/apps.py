from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "mutu.organisations"
    label = "organisations"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from mutu.core.access import declare_actions, set_scope_reader
        from mutu.organisations.actions import ACTIONS
        from mutu.organisations.permissions import read_scope

        declare_actions(self.label, ACTIONS)
        set_scope_reader(read_scope)
