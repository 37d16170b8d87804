"""Survey periods and what each unit sets in one: status, populations, skippable unsur."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mutu.core.access import require
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Pemda, Service, Unit
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.models import PeriodService, PeriodUnit, SurveyPeriod


def period_create(
    *,
    pemda: Pemda,
    actor: User | None,
    units: list[Unit],
    overlap_confirmed: bool = False,
    **fields: Any,
) -> SurveyPeriod:
    """A new draft period. One that overlaps another period of the same units needs
    `overlap_confirmed`: two results for the same days would confuse every report."""
    require(actor, SurveyAction.MANAGE_PERIODS, pemda)
    if any(unit.pemda_id != pemda.pk for unit in units):
        raise ValidationError(_("Semua unit harus berada di Pemda ini."))
    with transaction.atomic():
        period = SurveyPeriod(pemda=pemda, **fields)
        period.full_clean()
        overlaps = overlapping_periods(period, [u.pk for u in units])
        if overlaps and not overlap_confirmed:
            raise _overlap_error(overlaps)
        period.save()
        carried = _last_extra_questions(pemda, [u.pk for u in units])
        PeriodUnit.objects.bulk_create(
            PeriodUnit(period=period, unit=u, extra_questions=carried.get(u.pk, [])) for u in units
        )
        data: dict[str, Any] = {"units": len(units), "weighting": period.weighting}
        if overlaps:  # confirmed: the audit trail says who chose to overlap which periods
            data["overlaps"] = [p.pk for p in overlaps]
        record_event(
            actor=actor, verb=SurveyEvent.PERIOD_CREATED, obj=period, pemda=pemda, data=data
        )
    return period


def overlapping_periods(period: SurveyPeriod, unit_ids: list[int]) -> list[SurveyPeriod]:
    """Other periods of the Pemda whose dates meet `period`'s and that share one of the units,
    each with `shared_units`, the number of units in both."""
    return list(
        SurveyPeriod.objects.filter(
            pemda_id=period.pemda_id, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
        )
        .exclude(pk=period.pk)
        .annotate(
            shared_units=Count("members", filter=Q(members__unit_id__in=unit_ids), distinct=True)
        )
        .filter(shared_units__gt=0)
        .order_by("starts_on", "pk")
    )


def _overlap_error(overlaps: list[SurveyPeriod]) -> ValidationError:
    lines = [
        _(
            "Periode ini tumpang tindih dengan periode lain untuk unit yang sama. "
            "Periksa tanggal dan unitnya; jika memang disengaja, centang konfirmasi di bawah."
        )
    ]
    lines += [
        _("%(name)s (%(start)s – %(end)s, %(status)s): %(n)s unit yang sama.")
        % {
            "name": p.name,
            "start": date_format(p.starts_on, "j F Y"),
            "end": date_format(p.ends_on, "j F Y"),
            "status": p.get_status_display(),
            "n": p.shared_units,  # type: ignore[attr-defined]
        }
        for p in overlaps
    ]
    return ValidationError([ValidationError(line, code="overlap") for line in lines])


def _last_extra_questions(pemda: Pemda, unit_ids: list[int]) -> dict[int, list[Any]]:
    """Each unit's own questions of its latest earlier period, still asked ones only: a new
    period starts with the same instrument, so that the two can be compared."""
    carried: dict[int, list[Any]] = {}
    members = (
        PeriodUnit.objects.filter(period__pemda=pemda, unit_id__in=unit_ids)
        .exclude(extra_questions=[])
        .order_by("unit_id", "-period__starts_on")
        .values_list("unit_id", "extra_questions")
    )
    for unit_id, questions in members:
        if unit_id not in carried:
            carried[unit_id] = [q for q in questions if not q.get("retired")]
    return carried


def period_set_status(*, period: SurveyPeriod, status: str, actor: User | None) -> SurveyPeriod:
    require(actor, SurveyAction.MANAGE_PERIODS, period.pemda)
    if status not in SurveyPeriod.Status.values:
        raise ValidationError(_("Status tidak dikenal."))
    with transaction.atomic():
        before = period.status
        period.status = status
        if status != SurveyPeriod.Status.CLOSED:
            period.closed_at = None
        elif before != SurveyPeriod.Status.CLOSED:
            period.closed_at = timezone.now()
        period.save(update_fields=["status", "closed_at", "updated_at"])
        record_event(
            actor=actor,
            verb=SurveyEvent.PERIOD_STATUS,
            obj=period,
            pemda=period.pemda,
            data={"from": before, "to": status},
        )
    return period


def population_set(*, member: PeriodUnit, population: int | None, actor: User | None) -> PeriodUnit:
    require(actor, SurveyAction.SET_UNIT_SAMPLING, member.unit)
    if population is not None and population < 0:
        raise ValidationError(_("Populasi tidak boleh negatif."))
    with transaction.atomic():
        before = member.population
        member.population = population
        member.save(update_fields=["population"])
        record_event(
            actor=actor,
            verb=SurveyEvent.POPULATION_SET,
            obj=member.unit,
            pemda=member.period.pemda,
            data={"period": member.period_id, "from": before, "to": population},
        )
    return member


def today_in(tz_name: str) -> date:
    """The calendar day in the Pemda's own time zone: periods open and close by it."""
    return timezone.localtime(timezone.now(), ZoneInfo(tz_name)).date()


def skippable_set(*, member: PeriodUnit, codes: list[str], actor: User | None) -> PeriodUnit:
    require(actor, SurveyAction.SET_UNIT_SAMPLING, member.unit)
    unknown = set(codes) - set(UNSUR_CODES)
    if unknown:
        raise ValidationError(_("Unsur tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
    with transaction.atomic():
        before = list(member.skippable)
        member.skippable = [code for code in UNSUR_CODES if code in codes]
        member.save(update_fields=["skippable"])
        record_event(
            actor=actor,
            verb=SurveyEvent.SKIPPABLE_SET,
            obj=member.unit,
            pemda=member.period.pemda,
            data={"period": member.period_id, "from": before, "to": member.skippable},
        )
    return member


def service_populations_set(
    *, period: SurveyPeriod, populations: list[tuple[Service, int | None]], actor: User | None
) -> None:
    """Several services' populations at once: all are saved or none."""
    with transaction.atomic():
        for service, population in populations:
            service_population_set(
                period=period, service=service, population=population, actor=actor
            )


def service_population_set(
    *, period: SurveyPeriod, service: Service, population: int | None, actor: User | None
) -> PeriodService | None:
    """Set (or clear, with None) the users served by one service in the period."""
    require(actor, SurveyAction.SET_UNIT_SAMPLING, service.unit)
    if not period.members.filter(unit_id=service.unit_id).exists():
        raise ValidationError(_("Unit layanan ini bukan peserta periode ini."))
    if population is not None and population < 0:
        raise ValidationError(_("Populasi tidak boleh negatif."))
    with transaction.atomic():
        current = PeriodService.objects.filter(period=period, service=service).first()
        before = current.population if current else None
        if population is None:
            PeriodService.objects.filter(period=period, service=service).delete()
            current = None
        else:
            current, _created = PeriodService.objects.update_or_create(
                period=period, service=service, defaults={"population": population}
            )
        record_event(
            actor=actor,
            verb=SurveyEvent.POPULATION_SET,
            obj=service,
            pemda=period.pemda,
            data={"period": period.pk, "service": service.pk, "from": before, "to": population},
        )
    return current
