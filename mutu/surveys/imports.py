"""The survey imports, run as background jobs (mutu.organisations.import_jobs): typed-up paper
questionnaires of one unit, and the population (users served) of a period's units."""

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mutu.core.events import record_event
from mutu.core.permissions import Action, can
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.import_jobs import Errors, Importer, Valid
from mutu.organisations.models import ImportJob, Service
from mutu.organisations.tabular import Row
from mutu.surveys import services
from mutu.surveys.instrument import extra_questions_of, still_asked
from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod

# --- paper questionnaires: one row per form ---------------------------------------------------


def _member(job: ImportJob) -> PeriodUnit | None:
    return PeriodUnit.objects.filter(period_id=job.params["period"], unit=job.unit).first()


def _paper_columns(job: ImportJob) -> tuple[list[str], list[str]]:
    member = _member(job)
    skippable = frozenset(member.skippable if member else [])
    own = still_asked(extra_questions_of(member.extra_questions if member else None))
    expected = [*services.PAPER_COLUMNS, *(f"x_{q.id}" for q in own)]  # x_q1, x_q2 …
    return expected, [code for code in UNSUR_CODES if code not in skippable]


def _validate_paper(job: ImportJob, rows: list[Row]) -> tuple[Errors, Valid]:
    from mutu.surveys.forms import paper_row_errors

    member = _member(job)
    skippable = frozenset(member.skippable if member else [])
    own = still_asked(extra_questions_of(member.extra_questions if member else None))
    assert job.unit is not None
    target = services.SurveyTarget(
        period=SurveyPeriod.objects.get(pk=job.params["period"], pemda=job.pemda),
        unit=job.unit,
        channel=Response.Channel.PAPER,
        skippable=skippable,
        extra_questions=own,
    )
    errors: Errors = []
    valid: Valid = []
    for row in rows:
        answers, profile, extra, error = paper_row_errors(row.values, skippable, own)
        if error:
            errors.append((row.line, error))
        else:
            valid.append((row.line, (target, answers, profile, extra)))
    return errors, valid


def _write_paper(job: ImportJob, line: int, item: tuple[Any, ...]) -> None:
    target, answers, profile, extra = item
    # One id per (job, line): a row written once is never written again, whatever reruns.
    meta = services.SubmissionMeta(
        entered_by=job.requested_by, client_id=uuid.uuid5(job.uuid, str(line))
    )
    services.response_submit(
        target=target, answers=answers, profile=profile, meta=meta, extra=extra
    )


def _reread_period(job: ImportJob, batch: Valid) -> None:
    if batch:  # every row shares one target: the period as it is now, not at validation
        target = batch[0][1][0]
        target.period.refresh_from_db(fields=["status", "closed_at"])


def _finish_paper(job: ImportJob) -> None:
    record_event(
        actor=job.requested_by,
        verb="survey_paper.imported",
        obj=job.unit,
        pemda=job.pemda,
        data={"period": job.params["period"], "created": job.written, "rejected": len(job.errors)},
    )


def _may_enter_paper(user: Any, job: ImportJob) -> bool:
    return job.unit is not None and can(user, Action.MANAGE_SERVICES, job.unit)


PAPER_IMPORTER = Importer(
    label=_lazy("kuesioner kertas"),
    allowed=_may_enter_paper,
    columns=_paper_columns,
    validate=_validate_paper,
    write=_write_paper,
    finish=_finish_paper,
    batch_start=_reread_period,
    form_url=lambda job: reverse("surveys:paper_import", args=[job.params["period"], job.unit_id]),
)

# --- populations: nama_unit, populasi and, for a service's own, nama_layanan -------------------


def _validate_populations(job: ImportJob, rows: list[Row]) -> tuple[Errors, Valid]:
    period = SurveyPeriod.objects.get(pk=job.params["period"], pemda=job.pemda)
    members = {m.unit.name.lower(): m for m in period.members.select_related("unit", "period")}
    offered = {
        (s.unit_id, s.name.lower()): s
        for s in Service.objects.filter(unit__in=[m.unit for m in members.values()])
    }
    errors: Errors = []
    valid: Valid = []
    for row in rows:
        target, error = _population_row(row.values, members, offered)
        if error:
            errors.append((row.line, error))
        else:
            valid.append((row.line, (period, *target)))
    return errors, valid


def _population_row(
    values: dict[str, str], members: dict[str, PeriodUnit], offered: dict[Any, Service]
) -> tuple[Any, str]:
    """(member, service or None, population) of one import row, or the reason it is refused."""
    member = members.get(values.get("nama_unit", "").lower())
    raw = values.get("populasi", "").replace(".", "").replace(",", "")
    if member is None:
        return None, _("Unit “%(name)s” bukan peserta periode ini.") % {
            "name": values.get("nama_unit", "")
        }
    service_name = values.get("nama_layanan", "")
    service = offered.get((member.unit_id, service_name.lower())) if service_name else None
    if service_name and service is None:
        return None, _("Layanan “%(name)s” tidak ada di unit ini.") % {"name": service_name}
    if not raw.isdigit():
        return None, _("Populasi harus bilangan bulat 0 atau lebih.")
    return (member, service, int(raw)), ""


def _write_population(job: ImportJob, line: int, item: tuple[Any, ...]) -> None:
    period, member, service, population = item
    if service is None:
        services.population_set(member=member, population=population, actor=job.requested_by)
    else:
        services.service_population_set(
            period=period, service=service, population=population, actor=job.requested_by
        )


POPULATION_IMPORTER = Importer(
    label=_lazy("populasi"),
    allowed=lambda user, job: can(user, Action.MANAGE_UNITS, job.pemda),
    columns=lambda job: (["nama_unit", "nama_layanan", "populasi"], ["nama_unit", "populasi"]),
    validate=_validate_populations,
    write=_write_population,
    finish=lambda job: None,  # each population_set records its own event
    form_url=lambda job: reverse("surveys:population_import", args=[job.params["period"]]),
)
