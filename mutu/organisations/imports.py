"""Bulk imports of units, services and holidays: validate every row, then write all or nothing.

A rejected row is reported with its line number and reason. With `keep_valid=True` the user
chooses to import the good rows and skip the bad ones; otherwise one bad row stops everything.
"""

from datetime import date
from typing import Any

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mutu.core.access import can
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.tabular import Errors, ImportReport, Row, Valid, read_rows, template_xlsx
from mutu.organisations import services
from mutu.organisations.actions import OrgAction
from mutu.organisations.events import OrgEvent
from mutu.organisations.import_jobs import Importer, import_now
from mutu.organisations.models import Holiday, ImportJob, Pemda, Service, Unit

UNIT_COLUMNS = [
    "nama_unit",
    "singkatan",
    "jenis",
    "unit_induk",
    "alamat",
    "lintang",
    "bujur",
    "nama_kepala",
    "jabatan_kepala",
    "telepon",
    "email",
]
SERVICE_COLUMNS = ["nama_unit", "nama_layanan", "uraian", "daring"]
HOLIDAY_COLUMNS = ["date", "kind", "name"]


def _form_errors(form: forms.Form) -> str:
    parts = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(message) for message in messages)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)


class UnitRowForm(forms.Form):
    nama_unit = forms.CharField(label="nama_unit", max_length=200)
    singkatan = forms.CharField(label="singkatan", max_length=40, required=False)
    jenis = forms.ChoiceField(label="jenis", choices=Unit.Kind.choices)
    unit_induk = forms.CharField(label="unit_induk", required=False)
    alamat = forms.CharField(label="alamat", required=False)
    lintang = forms.DecimalField(
        label="lintang", required=False, min_value=-90, max_value=90, decimal_places=6
    )
    bujur = forms.DecimalField(
        label="bujur", required=False, min_value=-180, max_value=180, decimal_places=6
    )
    nama_kepala = forms.CharField(label="nama_kepala", max_length=150, required=False)
    jabatan_kepala = forms.CharField(label="jabatan_kepala", max_length=150, required=False)
    telepon = forms.CharField(label="telepon", max_length=40, required=False)
    email = forms.EmailField(label="email", required=False)

    def __init__(self, data: dict[str, str]) -> None:
        # Accept the label ("Puskesmas") as well as the code ("puskesmas") for the kind.
        labels = {str(label).lower(): code for code, label in Unit.Kind.choices}
        kind = data.get("jenis", "").strip().lower()
        super().__init__({**data, "jenis": labels.get(kind, kind)})


def units_import(
    *, pemda: Pemda, upload: Any, actor: User | None, keep_valid: bool = False
) -> ImportReport:
    """Import units now, all or nothing (the page queues the same import as a job)."""
    job = ImportJob(kind="unit", pemda=pemda, keep_valid=keep_valid, requested_by=actor)
    return import_now(job, upload)


def _may_manage_units(user: Any, job: ImportJob) -> bool:
    return user is None or can(user, OrgAction.MANAGE_UNITS, job.pemda)


def _validate_units(job: ImportJob, rows: list[Row]) -> tuple[Errors, Valid]:
    existing = {u.name.lower(): u for u in Unit.objects.filter(pemda=job.pemda)}
    errors: Errors = []
    valid: Valid = []
    seen: set[str] = set()
    for row in rows:
        cleaned, error = _validate_unit_row(row, existing, seen)
        if error:
            errors.append((row.line, error))
        else:
            valid.append((row.line, cleaned))
            seen.add(cleaned["name"].lower())
    return errors, valid


def _write_unit(job: ImportJob, line: int, cleaned: dict[str, Any]) -> None:
    fields = {**cleaned}
    parent_name = fields.pop("parent_name")
    parent = _unit_named(job.pemda, parent_name) if parent_name else None
    services.unit_create(pemda=job.pemda, actor=job.requested_by, parent=parent, **fields)


def _unit_named(pemda: Pemda, name: str) -> Unit | None:
    """The unit of this name, compared as validation compared it (Python's lower case)."""
    wanted = name.lower()
    for unit in Unit.objects.filter(pemda=pemda, name__iexact=name):
        if unit.name.lower() == wanted:
            return unit
    return next((u for u in Unit.objects.filter(pemda=pemda) if u.name.lower() == wanted), None)


def _finish_units(job: ImportJob) -> None:
    record_event(
        actor=job.requested_by,
        verb=OrgEvent.UNIT_IMPORTED,
        pemda=job.pemda,
        data={"created": job.written, "rejected": len(job.errors)},
    )


def _validate_unit_row(
    row: Row, existing: dict[str, Unit], seen: set[str]
) -> tuple[dict[str, Any], str]:
    form = UnitRowForm(row.values)
    if not form.is_valid():
        return {}, _form_errors(form)
    data = form.cleaned_data
    name = data["nama_unit"]
    if name.lower() in existing or name.lower() in seen:
        return {}, _("Unit “%(name)s” sudah ada.") % {"name": name}
    parent = data["unit_induk"]
    # A parent may be an existing unit or one defined on an earlier line of the same file.
    if parent and parent.lower() not in existing and parent.lower() not in seen:
        return {}, _(
            "Unit induk “%(name)s” tidak ditemukan (harus sudah ada atau "
            "berada di baris sebelumnya)."
        ) % {"name": parent}
    return {
        "name": name,
        "short_name": data["singkatan"],
        "kind": data["jenis"],
        "parent_name": parent,
        "address": data["alamat"],
        "latitude": data["lintang"],
        "longitude": data["bujur"],
        "head_name": data["nama_kepala"],
        "head_title": data["jabatan_kepala"],
        "phone": data["telepon"],
        "email": data["email"],
    }, ""


class ServiceRowForm(forms.Form):
    nama_unit = forms.CharField(label="nama_unit")
    nama_layanan = forms.CharField(label="nama_layanan", max_length=200)
    uraian = forms.CharField(label="uraian", required=False)
    daring = forms.CharField(label="daring", required=False)

    def clean_daring(self) -> bool:
        value = self.cleaned_data["daring"].strip().lower()
        if value in {"", "tidak", "t", "no", "n", "0"}:
            return False
        if value in {"ya", "y", "yes", "1"}:
            return True
        raise forms.ValidationError(_("isi “ya” atau “tidak”."))


def services_import(
    *, pemda: Pemda, upload: Any, actor: User | None, keep_valid: bool = False
) -> ImportReport:
    """Import services now, all or nothing (the page queues the same import as a job)."""
    job = ImportJob(kind="layanan", pemda=pemda, keep_valid=keep_valid, requested_by=actor)
    return import_now(job, upload)


def _validate_services(job: ImportJob, rows: list[Row]) -> tuple[Errors, Valid]:
    units = {u.name.lower(): u for u in Unit.objects.filter(pemda=job.pemda)}
    taken: set[tuple[int | None, str]] = {
        (unit_id, name.lower())
        for unit_id, name in Service.objects.filter(unit__pemda=job.pemda).values_list(
            "unit_id", "name"
        )
    }
    errors: Errors = []
    valid: Valid = []
    for row in rows:
        form = ServiceRowForm(row.values)
        if not form.is_valid():
            errors.append((row.line, _form_errors(form)))
            continue
        unit = units.get(form.cleaned_data["nama_unit"].lower())
        key = (unit.pk if unit else None, form.cleaned_data["nama_layanan"].lower())
        if unit is None:
            errors.append(
                (
                    row.line,
                    _("Unit “%(name)s” tidak ditemukan.")
                    % {"name": form.cleaned_data["nama_unit"]},
                )
            )
        elif key in taken:
            errors.append((row.line, _("Layanan ini sudah ada di unit tersebut.")))
        else:
            taken.add(key)
            valid.append((row.line, (unit, form.cleaned_data)))
    return errors, valid


def _write_service(job: ImportJob, line: int, item: tuple[Unit, dict[str, Any]]) -> None:
    unit, data = item
    services.service_create(
        unit=unit,
        actor=job.requested_by,
        name=data["nama_layanan"],
        description=data["uraian"],
        is_online=data["daring"],
    )


def _finish_services(job: ImportJob) -> None:
    record_event(
        actor=job.requested_by,
        verb=OrgEvent.SERVICE_IMPORTED,
        pemda=job.pemda,
        data={"created": job.written, "rejected": len(job.errors)},
    )


def _import_page(job: ImportJob) -> str:
    return reverse("organisations:import", args=[job.pemda_id, job.kind])


UNIT_IMPORTER = Importer(
    label=_lazy("unit"),
    allowed=_may_manage_units,
    columns=lambda job: (UNIT_COLUMNS, ["nama_unit", "jenis"]),
    validate=_validate_units,
    write=_write_unit,
    finish=_finish_units,
    form_url=_import_page,
)
SERVICE_IMPORTER = Importer(
    label=_lazy("layanan"),
    allowed=_may_manage_units,
    columns=lambda job: (SERVICE_COLUMNS, ["nama_unit", "nama_layanan"]),
    validate=_validate_services,
    write=_write_service,
    finish=_finish_services,
    form_url=_import_page,
)


class HolidayRowForm(forms.Form):
    date = forms.DateField(label="date", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    kind = forms.ChoiceField(label="kind", choices=Holiday.Kind.choices)
    name = forms.CharField(label="name", max_length=150)


def holidays_import(
    *, upload: Any, actor: User | None, pemda: Pemda | None = None, keep_valid: bool = False
) -> ImportReport:
    """Import holidays (CSV date,kind,name: docs/methodology.md §6); existing days are corrected."""
    rows = read_rows(upload, expected=HOLIDAY_COLUMNS, required=HOLIDAY_COLUMNS)
    report, valid, seen = ImportReport(), [], set()
    for row in rows:
        form = HolidayRowForm(row.values)
        if not form.is_valid():
            report.errors.append((row.line, _form_errors(form)))
        elif form.cleaned_data["date"] in seen:
            report.errors.append((row.line, _("Tanggal ini muncul dua kali dalam berkas.")))
        else:
            seen.add(form.cleaned_data["date"])
            valid.append(form.cleaned_data)
    if report.errors and not keep_valid:
        return report
    existing = {h.date: h for h in Holiday.objects.filter(pemda=pemda, date__in=seen)}
    with transaction.atomic():
        for data in valid:
            services.holiday_save(
                actor=actor,
                pemda=pemda,
                day=data["date"],
                name=data["name"],
                kind=data["kind"],
                holiday=existing.get(data["date"]),
            )
        report.created, report.written = len(valid), True
    return report


def holidays_load_national(*, year: int, actor: User | None = None) -> int:
    """Load Indonesia's national holidays and cuti bersama of a year from the `holidays` package.

    A year is loaded once, when it has no national day yet. After that the admins' list is the
    authority: a day moved after the sidang isbat, or removed, never comes back on a reload.
    """
    import holidays as holidays_package

    if Holiday.objects.filter(pemda__isnull=True, date__year=year).exists():
        return 0
    calendar = holidays_package.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    rows = [
        Holiday(date=day, name=name, pemda=None, kind=_national_kind(name))
        for day, name in sorted(calendar.items())
    ]
    with transaction.atomic():
        Holiday.objects.bulk_create(rows)
        record_event(
            actor=actor, verb=OrgEvent.HOLIDAY_LOADED, data={"year": year, "added": len(rows)}
        )
    return len(rows)


def _national_kind(name: str) -> str:
    if name.lower().startswith("cuti bersama"):
        return Holiday.Kind.CUTI_BERSAMA
    return Holiday.Kind.LIBUR_NASIONAL


def unit_template() -> bytes:
    kinds = ", ".join(code for code, _label in Unit.Kind.choices)
    return template_xlsx(
        UNIT_COLUMNS,
        [
            "UPT Puskesmas Contoh",
            "PKM Contoh",
            "puskesmas",
            "Dinas Kesehatan",
            "Jl. Contoh No. 1",
            "-1.25",
            "116.8",
            "dr. Nama Kepala",
            "Kepala Puskesmas",
            "0542-000000",
            "puskesmas@example.go.id",
        ],
        {
            "nama_unit": _("Wajib. Nama lengkap unit, unik dalam Pemda."),
            "jenis": _("Wajib. Salah satu: %(kinds)s") % {"kinds": kinds},
            "unit_induk": _("Opsional. Nama unit induk yang sudah ada atau di baris sebelumnya."),
            "lintang": _("Opsional. Desimal dengan titik, -90 s.d. 90."),
            "bujur": _("Opsional. Desimal dengan titik, -180 s.d. 180."),
        },
    )


def service_template() -> bytes:
    return template_xlsx(
        SERVICE_COLUMNS,
        ["UPT Puskesmas Contoh", "Pelayanan rawat jalan", "Pemeriksaan umum", "tidak"],
        {
            "nama_unit": _("Wajib. Nama unit yang sudah terdaftar."),
            "nama_layanan": _("Wajib. Unik dalam unit."),
            "daring": _("Opsional. ya / tidak."),
        },
    )


def holiday_template() -> bytes:
    return template_xlsx(
        HOLIDAY_COLUMNS,
        [date(2026, 12, 25).isoformat(), "libur_nasional", "Hari Raya Natal"],
        {
            "date": _("Wajib. YYYY-MM-DD atau DD/MM/YYYY."),
            "kind": _("Wajib. libur_nasional, cuti_bersama atau libur_daerah."),
        },
    )
