"""Counter tablets: registered, given a new address, revoked."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutu.core.access import require
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.params import refuse_nul
from mutu.organisations.models import Unit
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.models import KioskDevice


def kiosk_register(*, unit: Unit, name: str, actor: User | None) -> KioskDevice:
    """A new tablet. Its plain token is on the returned instance (`kiosk.token`) only: show it
    once; the database keeps its hash."""
    require(actor, SurveyAction.MANAGE_LINKS, unit)
    if not refuse_nul(name, _("Nama perangkat")).strip():
        raise ValidationError(_("Nama perangkat wajib diisi."))
    with transaction.atomic():
        kiosk = KioskDevice.objects.create(unit=unit, name=name.strip()[:100])
        record_event(actor=actor, verb=SurveyEvent.KIOSK_REGISTERED, obj=kiosk, pemda=unit.pemda)
    return kiosk


def kiosk_rotate(*, kiosk: KioskDevice, actor: User | None) -> KioskDevice:
    """A new address for an active tablet (the old one is lost or was seen by someone): the
    old token stops at once; the new one is on the returned instance only."""
    require(actor, SurveyAction.MANAGE_LINKS, kiosk.unit)
    if not kiosk.is_active:
        raise ValidationError(_("Perangkat kios ini sudah dicabut."))
    with transaction.atomic():
        kiosk.issue_token()
        kiosk.save(update_fields=["token_hash", "token_prefix", "updated_at"])
        record_event(actor=actor, verb=SurveyEvent.KIOSK_ROTATED, obj=kiosk, pemda=kiosk.unit.pemda)
    return kiosk


def kiosk_revoke(*, kiosk: KioskDevice, actor: User | None) -> KioskDevice:
    require(actor, SurveyAction.MANAGE_LINKS, kiosk.unit)
    with transaction.atomic():
        kiosk.is_active = False
        kiosk.save(update_fields=["is_active", "updated_at"])
        record_event(actor=actor, verb=SurveyEvent.KIOSK_REVOKED, obj=kiosk, pemda=kiosk.unit.pemda)
    return kiosk
