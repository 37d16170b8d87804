"""The survey imports, run as background jobs (mutu.organisations.import_jobs): typed-up paper
questionnaires of one unit, and the population (users served) of a period's units."""

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mutu.core.access import can
from mutu.core.events import record_event
from mutu.core.tabular import Errors, Row, Valid
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.import_jobs import Importer
from mutu.organisations.models import ImportJob, Service
from mutu.surveys import services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.forms import PAPER_FIELD_COLUMNS
from mutu.surveys.instrument import ExtraKind, extra_questions_of, still_asked
from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod, Unsur

# --- paper questionnaires: one row per form ---------------------------------------------------


def _member(job: ImportJob) -> PeriodUnit | None:
    return PeriodUnit.objects.filter(period_id=job.params["period"], unit=job.unit).first()


EXAMPLE_MARK = "CONTOH"  # the template's example row carries it as its questionnaire number
# The English columns of issue 11's template: files made with it still import.
LEGACY_COLUMNS = {
    "gender": "gender",
    "age_band": "age_band",
    "education": "education",
    "occupation": "occupation",
    "served_on": "served_on",
    "suggestion": "suggestion",
}


def paper_columns(member: PeriodUnit | None, ask_trust: bool = True) -> list[str]:
    """The columns of the paper template of a unit, in the order of the printed form
    (forms.PAPER_FIELD_COLUMNS names each field's column; the nine unsur keep their codes)."""
    own = _own_questions(member)
    return [
        "nomor_kuesioner",
        "tanggal_layanan",
        *UNSUR_CODES,
        *(["kepercayaan"] if ask_trust else []),
        "jenis_kelamin",
        "usia",
        "pendidikan",
        "pekerjaan",
        *(f"tambahan_{q.id}" for q in own),  # tambahan_q1, tambahan_q2 …
        "saran",
    ]


def _own_questions(member: PeriodUnit | None) -> tuple[Any, ...]:
    return still_asked(extra_questions_of(member.extra_questions if member else None))


def _field_of_column() -> dict[str, str]:
    return {column: name for name, column in PAPER_FIELD_COLUMNS.items()} | LEGACY_COLUMNS


def _as_fields(values: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A row keyed by the entry grid's fields (unsur codes, paper_number, x_<id> …), and the
    file's own column of each field, to name it in an error."""
    fields = _field_of_column()
    row: dict[str, str] = {}
    column_of: dict[str, str] = {}
    for column, value in values.items():
        if column.startswith("tambahan_"):
            name = f"x_{column.removeprefix('tambahan_')}"
        else:
            name = fields.get(column, column)
        row[name] = value
        column_of[f"u_{name}" if name in UNSUR_CODES else name] = column
    return row, column_of


def _paper_columns(job: ImportJob) -> tuple[list[str], list[str]]:
    member = _member(job)
    skippable = frozenset(member.skippable if member else [])
    own = _own_questions(member)
    expected = [*paper_columns(member), *LEGACY_COLUMNS, *(f"x_{q.id}" for q in own)]
    return expected, [code for code in UNSUR_CODES if code not in skippable]


def _validate_paper(job: ImportJob, rows: list[Row]) -> tuple[Errors, Valid]:
    from mutu.surveys.forms import paper_row_errors

    member = _member(job)
    skippable = frozenset(member.skippable if member else [])
    own = _own_questions(member)
    assert job.unit is not None
    period = SurveyPeriod.objects.get(pk=job.params["period"], pemda=job.pemda)
    target = services.SurveyTarget(
        period=period,
        unit=job.unit,
        channel=Response.Channel.PAPER,
        skippable=skippable,
        extra_questions=own,
    )
    numbers = _NumberBook(services.paper_numbers_taken(period, job.unit))
    errors: Errors = []
    valid: Valid = []
    for row in rows:
        values, column_of = _as_fields(row.values)
        if values.get("paper_number", "").strip().upper() == EXAMPLE_MARK:
            errors.append((row.line, str(EXAMPLE_ROW_REFUSED)))
            continue
        answers, profile, extra, error = paper_row_errors(values, skippable, own, period, column_of)
        error = error or numbers.refusal(profile["paper_number"], row.line)
        if error:
            errors.append((row.line, error))
        else:
            valid.append((row.line, (target, answers, profile, extra)))
    return errors, valid


EXAMPLE_ROW_REFUSED = _lazy(
    "Baris contoh dari templat (nomor kuesioner “CONTOH”) tidak diimpor. Hapus baris ini, lalu "
    "isi satu baris per formulir kertas dengan nomor kuesionernya."
)


class _NumberBook:
    """The questionnaire numbers met so far: stored before, or on an earlier line of this
    file. A number seen twice is refused on the second line, naming the first: the same paper
    form typed twice would count one citizen twice."""

    def __init__(self, stored: set[str]) -> None:
        self.stored = stored
        self.lines: dict[str, int] = {}

    def refusal(self, number: str, line: int) -> str:
        if not number:
            return ""
        if number in self.stored:
            return services.paper_number_taken_message(number)
        if number in self.lines:
            return _(
                "Nomor kuesioner %(number)s sudah dipakai pada baris %(first)s berkas ini: "
                "formulir yang sama tidak dihitung dua kali."
            ) % {"number": number, "first": self.lines[number]}
        self.lines[number] = line
        return ""


def paper_template_xlsx(member: PeriodUnit | None, *, ask_trust: bool) -> bytes:
    """The import template: Indonesian columns in the order of the printed form, one example
    row that can never be imported by accident (its number is CONTOH), and a sheet that
    explains each column, the unit's own questions included."""
    from mutu.core.tabular import template_xlsx

    columns = paper_columns(member, ask_trust)
    own = _own_questions(member)
    example: dict[str, Any] = {
        "nomor_kuesioner": EXAMPLE_MARK,
        "tanggal_layanan": "2026-11-20",
        **dict(zip(UNSUR_CODES, [3, 3, 4, 4, 3, 3, 4, 2, 3], strict=True)),
        "kepercayaan": 4,
        "jenis_kelamin": "P",
        "usia": "30-39",
        "pendidikan": "SMA",
        "pekerjaan": "Swasta",
        "saran": _("Antrean pagi terlalu panjang"),
    }
    example |= {f"tambahan_{q.id}": _example_answer(q) for q in own}
    return template_xlsx(columns, [example.get(c, "") for c in columns], _notes(own))


def _example_answer(question: Any) -> Any:
    return _("contoh jawaban") if question.kind == ExtraKind.TEXT else 1


def _notes(own: tuple[Any, ...]) -> dict[str, str]:
    unsur_note = _(
        "Wajib (kecuali unsur yang boleh dilewati unit). 1–4 (1 = terburuk, 4 = terbaik)."
    )
    notes = {code: f"{Unsur(code).label}. {unsur_note}" for code in UNSUR_CODES} | {
        "nomor_kuesioner": _(
            "Nomor yang ditulis petugas di kotak kanan atas formulir; unik per unit dan periode "
            "(nomor yang sudah dientri ditolak). Baris contoh bertanda CONTOH tidak pernah "
            "diimpor: hapus baris itu, lalu isi satu baris per formulir."
        ),
        "tanggal_layanan": _("Opsional. TTTT-BB-HH, di dalam masa periode survei."),
        "kepercayaan": _(
            "Opsional. “Saya percaya pada layanan ini”: 1 = tidak setuju … 4 = sangat setuju."
        ),
        "jenis_kelamin": _("L = laki-laki, P = perempuan"),
        "usia": "<20, 20-29, 30-39, 40-49, 50-59, 60+",
        "pendidikan": "SD, SMP, SMA, D1-D3, D4-S1, S2, S3",
        "pekerjaan": "PNS, TNI, POLRI, Swasta, Wirausaha, Lainnya",
        "saran": _("Opsional. Saran atau masukan tertulis."),
    }
    for number, question in enumerate(own, start=1):
        words = question.answer_words()
        answers = (
            _("isian bebas")
            if question.kind == ExtraKind.TEXT
            else ", ".join(f"{i} = {w}" for i, w in enumerate(words, start=1))
        )
        required = _("Wajib") if question.required else _("Opsional")
        notes[f"tambahan_{question.id}"] = f"T{number}. {question.text} — {required}. {answers}"
    return notes


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
        verb=SurveyEvent.PAPER_IMPORTED,
        obj=job.unit,
        pemda=job.pemda,
        data={"period": job.params["period"], "created": job.written, "rejected": len(job.errors)},
    )


def _may_enter_paper(user: Any, job: ImportJob) -> bool:
    return job.unit is not None and can(user, SurveyAction.ENTER_PAPER, job.unit)


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
    allowed=lambda user, job: can(user, SurveyAction.MANAGE_PERIODS, job.pemda),
    columns=lambda job: (["nama_unit", "nama_layanan", "populasi"], ["nama_unit", "populasi"]),
    validate=_validate_populations,
    write=_write_population,
    finish=lambda job: None,  # each population_set records its own event
    form_url=lambda job: reverse("surveys:population_import", args=[job.params["period"]]),
)
