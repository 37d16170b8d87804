"""Bulk imports of units, services and holidays: validate every row, then write all or nothing.

A rejected row is reported with its line number and reason. With `keep_valid=True` the user
chooses to import the good rows and skip the bad ones; otherwise one bad row stops everything.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import xlsxwriter
from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.permissions import Action, require
from mutu.organisations import services
from mutu.organisations.models import Holiday, Pemda, Service, Unit
from mutu.organisations.tabular import Row, read_rows

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


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


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
    require(actor, Action.MANAGE_UNITS, pemda)
    rows = read_rows(upload, expected=UNIT_COLUMNS, required=["nama_unit", "jenis"])
    existing = {u.name.lower(): u for u in Unit.objects.filter(pemda=pemda)}
    report, valid = ImportReport(), []
    seen: set[str] = set()
    for row in rows:
        cleaned, error = _validate_unit_row(row, existing, seen)
        if error:
            report.errors.append((row.line, error))
        else:
            valid.append(cleaned)
            seen.add(cleaned["name"].lower())
    if report.errors and not keep_valid:
        return report
    with transaction.atomic():
        for cleaned in valid:
            parent_name = cleaned.pop("parent_name")
            parent = existing.get(parent_name.lower()) if parent_name else None
            unit = services.unit_create(pemda=pemda, actor=actor, parent=parent, **cleaned)
            existing[unit.name.lower()] = unit
        report.created = len(valid)
        report.written = True
        record_event(
            actor=actor,
            verb="unit.imported",
            pemda=pemda,
            data={"created": report.created, "rejected": len(report.errors)},
        )
    return report


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
    require(actor, Action.MANAGE_UNITS, pemda)
    rows = read_rows(upload, expected=SERVICE_COLUMNS, required=["nama_unit", "nama_layanan"])
    units = {u.name.lower(): u for u in Unit.objects.filter(pemda=pemda)}
    taken: set[tuple[int | None, str]] = {
        (unit_id, name.lower())
        for unit_id, name in Service.objects.filter(unit__pemda=pemda).values_list(
            "unit_id", "name"
        )
    }
    report, valid = ImportReport(), []
    for row in rows:
        form = ServiceRowForm(row.values)
        if not form.is_valid():
            report.errors.append((row.line, _form_errors(form)))
            continue
        unit = units.get(form.cleaned_data["nama_unit"].lower())
        key = (unit.pk if unit else None, form.cleaned_data["nama_layanan"].lower())
        if unit is None:
            report.errors.append(
                (
                    row.line,
                    _("Unit “%(name)s” tidak ditemukan.")
                    % {"name": form.cleaned_data["nama_unit"]},
                )
            )
        elif key in taken:
            report.errors.append((row.line, _("Layanan ini sudah ada di unit tersebut.")))
        else:
            taken.add(key)
            valid.append((unit, form.cleaned_data))
    if report.errors and not keep_valid:
        return report
    with transaction.atomic():
        for unit, data in valid:
            services.service_create(
                unit=unit,
                actor=actor,
                name=data["nama_layanan"],
                description=data["uraian"],
                is_online=data["daring"],
            )
        report.created, report.written = len(valid), True
        record_event(
            actor=actor,
            verb="service.imported",
            pemda=pemda,
            data={"created": report.created, "rejected": len(report.errors)},
        )
    return report


class HolidayRowForm(forms.Form):
    date = forms.DateField(label="date", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    kind = forms.ChoiceField(label="kind", choices=Holiday.Kind.choices)
    name = forms.CharField(label="name", max_length=150)


def holidays_import(
    *, upload: Any, actor: User | None, pemda: Pemda | None = None, keep_valid: bool = False
) -> ImportReport:
    """Import holidays (the format of spec holidays-2026.csv); existing days are corrected."""
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
        record_event(actor=actor, verb="holiday.loaded", data={"year": year, "added": len(rows)})
    return len(rows)


def _national_kind(name: str) -> str:
    if name.lower().startswith("cuti bersama"):
        return Holiday.Kind.CUTI_BERSAMA
    return Holiday.Kind.LIBUR_NASIONAL


def template_xlsx(columns: list[str], example: list[Any], notes: dict[str, str]) -> bytes:
    """An import template: header row, one example row and a sheet explaining each column."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    sheet = workbook.add_worksheet("data")
    for col, name in enumerate(columns):
        sheet.write(0, col, name, bold)
        sheet.write(1, col, example[col] if col < len(example) else "")
        sheet.set_column(col, col, 22)
    help_sheet = workbook.add_worksheet(_("petunjuk"))
    for row, name in enumerate(columns):
        help_sheet.write(row, 0, name, bold)
        help_sheet.write(row, 1, notes.get(name, ""))
    help_sheet.set_column(0, 0, 18)
    help_sheet.set_column(1, 1, 90)
    workbook.close()
    return buffer.getvalue()


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
