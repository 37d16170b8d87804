"""The roles a person can hold, and the scope each one needs. No model imports here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_VIEWER = "national_viewer", _("Pemantau nasional")
    PROVINCIAL_ADMIN = "provincial_admin", _("Admin provinsi")
    PEMDA_ADMIN = "pemda_admin", _("Admin Pemda (Bagian Organisasi)")
    UNIT_HEAD = "unit_head", _("Kepala unit")
    UNIT_OPERATOR = "unit_operator", _("Operator unit")
    EVALUATOR = "evaluator", _("Evaluator")
    INSPECTOR = "inspector", _("Inspektorat")


# What a membership of each role must point at.
PEMDA_SCOPED = frozenset({Role.PROVINCIAL_ADMIN, Role.PEMDA_ADMIN, Role.INSPECTOR})
UNIT_SCOPED = frozenset({Role.UNIT_HEAD, Role.UNIT_OPERATOR, Role.EVALUATOR})
UNSCOPED = frozenset({Role.NATIONAL_VIEWER})
