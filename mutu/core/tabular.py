"""Spreadsheet imports, for every app: reading an upload safely (type by content, size limit,
headers), what an import reports (`ImportReport`, line-numbered errors) and the XLSX template
an office fills in. The job machinery (ImportJob, importers) lives in mutu.organisations."""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TabularFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Row:
    line: int  # line number as the user sees it in Excel (header is line 1)
    values: dict[str, str]


def read_rows(upload: object, *, expected: list[str], required: list[str]) -> list[Row]:
    """Return the data rows of an uploaded XLSX/CSV as strings keyed by lower-case header."""
    content = upload if isinstance(upload, bytes) else _read_limited(upload)
    table = _table(content)
    headers = _headers(next(table, None), expected=expected, required=required)
    rows = []
    for offset, raw in enumerate(table, start=2):
        values = {h: _cell(v) for h, v in zip(headers, raw, strict=False) if h}
        if any(values.values()):
            rows.append(Row(line=offset, values=values))
            _refuse_beyond_cap(len(rows))
    return rows


def inspect_upload(
    upload: object, *, expected: list[str], required: list[str]
) -> tuple[bytes, int]:
    """The content of an upload and its number of data rows, checked cheaply in the request:
    size, type by content, columns, and rows counted while streaming, refused past the cap
    without reading further (a background import then parses it for real)."""
    content = _read_limited(upload)
    table = _table(content)
    _headers(next(table, None), expected=expected, required=required)
    count = 0
    for raw in table:
        if any(_cell(v) for v in raw):
            count += 1
            _refuse_beyond_cap(count)
    return content, count


def _refuse_beyond_cap(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise TabularFileError(
            _(
                "Berkas berisi lebih dari %(max)s baris data. Bagi menjadi beberapa berkas "
                "lalu impor satu per satu."
            )
            % {"max": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")}
        )


def _table(content: bytes) -> Iterator[Sequence[object]]:
    return _xlsx_table(content) if _looks_like_xlsx(content) else _csv_table(content)


def _headers(
    first: Sequence[object] | None, *, expected: list[str], required: list[str]
) -> list[str]:
    if first is None:
        raise TabularFileError(_("Berkas kosong: baris judul kolom tidak ditemukan."))
    headers = [str(h or "").strip().lower() for h in first]
    missing = [name for name in required if name not in headers]
    if missing:
        raise TabularFileError(
            _("Kolom wajib tidak ada: %(cols)s. Gunakan templat yang disediakan.")
            % {"cols": ", ".join(missing)}
        )
    unknown = [h for h in headers if h and h not in expected]
    if unknown:
        raise TabularFileError(_("Kolom tidak dikenal: %(cols)s.") % {"cols": ", ".join(unknown)})
    return headers


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_limited(upload: object) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise TabularFileError(
            _("Berkas terlalu besar (maksimum %(mb)s MB).") % {"mb": limit // (1024 * 1024)}
        )
    content: bytes = upload.read(limit + 1)  # type: ignore[attr-defined]
    if len(content) > limit:
        raise TabularFileError(
            _("Berkas terlalu besar (maksimum %(mb)s MB).") % {"mb": limit // (1024 * 1024)}
        )
    return content


def _looks_like_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _xlsx_table(content: bytes) -> Iterator[Sequence[object]]:
    # openpyxl parses with defusedxml when it is installed (a dependency of mutu): a file with
    # XML entities (billion laughs) or external references (XXE) is refused, never expanded.
    # A read-only workbook parses its sheet while the rows are read: both steps are guarded.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise _xlsx_refusal(error) from error
    return _guarded(rows)


def _xlsx_refusal(error: BaseException) -> TabularFileError:
    if _caused_by_xml_entities(error):
        return TabularFileError(
            _(
                "Berkas XLSX berisi entitas atau rujukan XML yang tidak diizinkan; simpan "
                "ulang dari Excel atau LibreOffice."
            )
        )
    return TabularFileError(_("Berkas XLSX rusak atau tidak dapat dibaca."))


def _caused_by_xml_entities(error: BaseException | None) -> bool:
    """Whether defusedxml refused the file (openpyxl wraps its error in a ValueError)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _guarded(rows: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    """Rows of a read-only workbook, which parses lazily: damage may show only half-way."""
    try:
        yield from rows
    except TabularFileError:
        raise
    except Exception as error:
        raise _xlsx_refusal(error) from error


def _csv_table(content: bytes) -> Iterator[Sequence[object]]:
    if b"\x00" in content[:4096]:
        raise TabularFileError(_("Jenis berkas tidak didukung: unggah XLSX atau CSV."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TabularFileError(
            _("Berkas CSV harus berkodean UTF-8 (simpan ulang sebagai 'CSV UTF-8').")
        ) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column or an unusual file: fall back to commas
    return _csv_rows(csv.reader(io.StringIO(text), dialect))


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[Sequence[object]]:
    try:
        yield from reader
    except csv.Error as error:
        raise TabularFileError(_("Berkas CSV rusak: %(reason)s") % {"reason": error}) from error


# --- what an import reports, and its template -----------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


Valid = list[tuple[int, Any]]  # (line, what the importer's `write` needs)
Errors = list[tuple[int, str]]  # (line, message)


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
