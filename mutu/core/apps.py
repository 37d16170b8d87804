from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mutu.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Registers the deploy checks and the sign-in receiver of the sliding sessions.
        from mutu.core import checks, sessions  # noqa: F401
        from mutu.core.dashboard import discover

        discover()  # the dashboard cards of every app (mutu.core.dashboard)
