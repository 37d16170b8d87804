"""Follow-up of a period: the unit's action plan (RTL) and public consultations (FKP)."""

from typing import Any

from django.db import transaction

from mutu.core.access import require
from mutu.core.events import record_event, save_recorded
from mutu.core.models import User
from mutu.organisations.models import Unit
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.models import FkpRecord, RtlItem, SurveyPeriod


def rtl_save(
    *,
    period: SurveyPeriod,
    unit: Unit,
    actor: User | None,
    item: RtlItem | None = None,
    **fields: Any,
) -> RtlItem:
    """Create or update a follow-up item of a unit (unit head/operator or the Pemda admin)."""
    require(actor, SurveyAction.MANAGE_FOLLOW_UP, unit)
    with transaction.atomic():
        target = item or RtlItem(period=period, unit=unit)
        before = target.status if item else None
        for name, value in fields.items():
            setattr(target, name, value)
        save_recorded(
            target,
            actor=actor,
            verb=SurveyEvent.RTL_SAVED,
            pemda=unit.pemda,
            data={"period": period.pk, "status_from": before, "status": target.status},
        )
    return target


def rtl_carry_over(*, period: SurveyPeriod, unit: Unit, actor: User | None) -> int:
    """Copy the unit's unfinished items of its previous period into this one (once each)."""
    require(actor, SurveyAction.MANAGE_FOLLOW_UP, unit)
    unfinished = (
        RtlItem.objects.filter(
            unit=unit,
            period__pemda_id=period.pemda_id,
            period__ends_on__lt=period.starts_on,
        )
        .exclude(status=RtlItem.Status.DONE)
        .exclude(carried_to__period=period)
    )
    with transaction.atomic():
        copies = [
            RtlItem(
                period=period,
                unit=unit,
                unsur=i.unsur,
                program=i.program,
                schedule=i.schedule,
                responsible=i.responsible,
                status=i.status,
                evidence=i.evidence,
                carried_from=i,
            )
            for i in unfinished
        ]
        RtlItem.objects.bulk_create(copies)
        if copies:
            record_event(
                actor=actor,
                verb=SurveyEvent.RTL_CARRIED_OVER,
                obj=unit,
                pemda=unit.pemda,
                data={"period": period.pk, "items": len(copies)},
            )
    return len(copies)


def fkp_record(*, period: SurveyPeriod, unit: Unit, actor: User | None, **fields: Any) -> FkpRecord:
    require(actor, SurveyAction.MANAGE_FOLLOW_UP, unit)
    with transaction.atomic():
        record = FkpRecord(period=period, unit=unit, **fields)
        save_recorded(
            record,
            actor=actor,
            verb=SurveyEvent.FKP_RECORDED,
            pemda=unit.pemda,
            data={"period": period.pk, "held_on": str(record.held_on)},
        )
    return record
