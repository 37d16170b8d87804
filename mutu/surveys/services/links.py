"""Survey links (the QR codes): created and rotated."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutu.core.access import require
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.organisations.models import Service, Unit
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.models import SurveyLink


def link_create(
    *, unit: Unit, actor: User | None, service: Service | None = None, label: str = ""
) -> SurveyLink:
    require(actor, SurveyAction.MANAGE_LINKS, unit)
    if service is not None and service.unit_id != unit.pk:
        raise ValidationError(_("Layanan harus milik unit ini."))
    with transaction.atomic():
        link = SurveyLink.objects.create(unit=unit, service=service, label=label)
        record_event(actor=actor, verb=SurveyEvent.LINK_CREATED, obj=link, pemda=unit.pemda)
    return link


def link_rotate(*, link: SurveyLink, actor: User | None) -> SurveyLink:
    """Retire a link (e.g. a poster was copied elsewhere) and issue a new token for it."""
    require(actor, SurveyAction.MANAGE_LINKS, link.unit)
    with transaction.atomic():
        link.is_active = False
        link.save(update_fields=["is_active", "updated_at"])
        fresh = SurveyLink.objects.create(unit=link.unit, service=link.service, label=link.label)
        record_event(
            actor=actor,
            verb=SurveyEvent.LINK_ROTATED,
            obj=fresh,
            pemda=link.unit.pemda,
            data={"retired": link.pk},
        )
    return fresh
