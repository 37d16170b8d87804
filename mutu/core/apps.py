from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mutu.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Registers the deploy checks and the sign-in receiver of the sliding sessions.
        from mutu.core import checks, sessions  # noqa: F401

        # The empty choice of every select made from a model ("- Select an option -" in
        # Django 6.1) in the screen's language; Django reads it from here at each render.
        fields.BLANK_CHOICE_LABEL = _("— pilih —")

        from mutu.core.dashboard import discover

        discover()  # the dashboard cards of every app (mutu.core.dashboard)
