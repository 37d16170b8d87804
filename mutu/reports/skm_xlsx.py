"""Tabulasi SKM as XLSX: one row per respondent, then the formulas that make the IKM.

The formula cells are real Excel formulas (an auditor can click them); their cached values are
the numbers from mutu.indices, so a viewer that does not recalculate still shows the right IKM.
"""

import io
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from mutu.indices.ikm import UNSUR_CODES, IkmResult
from mutu.surveys.instrument import ExtraKind, ExtraQuestion

PROFILE = [
    ("gender", "Jenis kelamin"),
    ("age_band", "Usia"),
    ("education", "Pendidikan"),
    ("occupation", "Pekerjaan"),
]
WEIGHT_FORMULA = {"exact": "1/{n}", "0.111": "0.111", "0.11": "0.11"}


def tabulation_xlsx(
    *,
    title: str,
    weighting: str,
    rows: list[dict[str, Any]],
    ikm: IkmResult | None,
    demo: bool,
    extra_questions: tuple[ExtraQuestion, ...] = (),
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    number = book.add_format({"num_format": "0.00"})
    number4 = book.add_format({"num_format": "0.0000"})
    sheet = book.add_worksheet("Tabulasi")
    sheet.write(0, 0, title + (" — DATA DEMO, bukan hasil resmi" if demo else ""), bold)
    sheet.write(
        1,
        0,
        f"Pembobotan: {weighting}"
        + ("" if weighting == "exact" else " (bobot lama, bukan bobot resmi 1/9)"),
    )
    header = ["No", "Waktu (UTC)", "Saluran", *[label for _f, label in PROFILE], *UNSUR_CODES]
    top = 3
    for col, text in enumerate(header):
        sheet.write(top, col, text, bold)
    first_unsur_col = len(header) - len(UNSUR_CODES)
    for index, row in enumerate(rows, start=1):
        r = top + index
        sheet.write_number(r, 0, index)
        sheet.write(r, 1, row["submitted_at"].strftime("%Y-%m-%d %H:%M"))
        sheet.write(r, 2, row["channel"])
        for offset, (field, _label) in enumerate(PROFILE):
            sheet.write(r, 3 + offset, row.get(field) or "")
        for offset, code in enumerate(UNSUR_CODES):
            value = row["answers"].get(code)
            if value is not None:
                sheet.write_number(r, first_unsur_col + offset, value)
    _formulas(sheet, top, len(rows), first_unsur_col, weighting, ikm, bold, number, number4)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 17)
    sheet.set_column(2, first_unsur_col + len(UNSUR_CODES), 12)
    if extra_questions:
        _extra_sheet(book, rows, extra_questions, bold)
    book.close()
    return buffer.getvalue()


def _formulas(
    sheet: Any,
    top: int,
    count: int,
    first_col: int,
    weighting: str,
    ikm: IkmResult | None,
    bold: Any,
    number: Any,
    number4: Any,
) -> None:
    data_first, data_last = top + 1, top + max(count, 1)
    labels = ["Jumlah nilai", "Jumlah jawaban (n)", "NRR", "Bobot", "NRR tertimbang"]
    base = data_last + 2
    for i, label in enumerate(labels):
        sheet.write(base + i, first_col - 1, label, bold)
    weight = WEIGHT_FORMULA[weighting].format(n=len(UNSUR_CODES))
    weighted_cells = []
    for offset, code in enumerate(UNSUR_CODES):
        col = first_col + offset
        column = f"{xl_rowcol_to_cell(data_first, col)}:{xl_rowcol_to_cell(data_last, col)}"
        total, n = (xl_rowcol_to_cell(base, col), xl_rowcol_to_cell(base + 1, col))
        nrr_cell, weight_cell = xl_rowcol_to_cell(base + 2, col), xl_rowcol_to_cell(base + 3, col)
        nrr = ikm.nrr.get(code) if ikm else None
        sheet.write_formula(base, col, f"=SUM({column})")
        sheet.write_formula(base + 1, col, f"=COUNT({column})")
        sheet.write_formula(
            base + 2,
            col,
            f'=IF({n}=0,"",{total}/{n})',
            number4,
            float(nrr) if nrr is not None else "",
        )
        sheet.write_formula(base + 3, col, f"={weight}", number4)
        sheet.write_formula(base + 4, col, f'=IF({n}=0,"",{nrr_cell}*{weight_cell})', number4)
        weighted_cells.append(xl_rowcol_to_cell(base + 4, col))
    ikm_row = base + 6
    sheet.write(ikm_row, first_col - 1, "IKM", bold)
    sheet.write_formula(
        ikm_row,
        first_col,
        f"=SUM({weighted_cells[0]}:{weighted_cells[-1]})",
        number4,
        float(ikm.ikm) if ikm else "",
    )
    sheet.write(ikm_row + 1, first_col - 1, "Nilai IKM (IKM × 25)", bold)
    ikm_cell = xl_rowcol_to_cell(ikm_row, first_col)
    sheet.write_formula(
        ikm_row + 1, first_col, f"={ikm_cell}*25", number, float(ikm.score) if ikm else ""
    )
    if ikm:
        sheet.write(ikm_row + 2, first_col - 1, "Mutu / kinerja", bold)
        sheet.write(ikm_row + 2, first_col, f"{ikm.grade} — {ikm.label}")
        sheet.write(ikm_row + 3, first_col - 1, "Nilai dari mutu (dibulatkan)", bold)
        sheet.write(ikm_row + 3, first_col, ikm.score_display)


def _extra_sheet(
    book: Any, rows: list[dict[str, Any]], questions: tuple[ExtraQuestion, ...], bold: Any
) -> None:
    """The unit's own questions, one row per respondent (same numbering as the IKM sheet): a
    scale as its number 1–4, a choice as its words, an open answer as written."""
    sheet = book.add_worksheet("Pertanyaan tambahan")
    sheet.write(0, 0, "Pertanyaan tambahan unit — tidak masuk perhitungan IKM", bold)
    sheet.write(2, 0, "No", bold)
    for col, question in enumerate(questions, start=1):
        sheet.write_string(2, col, question.text, bold)  # never as a formula
    for index, row in enumerate(rows, start=1):
        sheet.write_number(2 + index, 0, index)
        for col, question in enumerate(questions, start=1):
            value = row.get("extra", {}).get(question.id)
            if value is None:
                continue
            if question.kind == ExtraKind.CHOICE:
                sheet.write_string(2 + index, col, question.choices[value - 1])
            elif question.kind == ExtraKind.SCALE:
                sheet.write_number(2 + index, col, value)
            else:
                sheet.write_string(2 + index, col, str(value))
    sheet.set_column(1, len(questions), 30)
