"""Tabulasi SKM as XLSX: one row per respondent, then the formulas that make the IKM.

The formula cells are real Excel formulas (an auditor can click them); their cached values are
the numbers from mutu.indices, so a viewer that does not recalculate still shows the right IKM.
"""

import io
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from mutu.indices.ikm import UNSUR_CODES, IkmResult
from mutu.indices.trust import AGREEING, TrustSummary
from mutu.surveys.instrument import TRUST_ANSWERS, TRUST_QUESTION, ExtraKind, ExtraQuestion

PROFILE = [
    ("gender", "Jenis kelamin"),
    ("age_band", "Usia"),
    ("education", "Pendidikan"),
    ("occupation", "Pekerjaan"),
]
WEIGHT_FORMULA = {"exact": "1/{n}", "0.111": "0.111", "0.11": "0.11"}


def render_skm_unit_xlsx(member: Any) -> bytes:
    """The tabulation of a unit in a period, as the worker makes it (ReportJob skm_unit_xlsx)."""
    from mutu.surveys import selectors
    from mutu.surveys.instrument import extra_questions_of

    period = member.period
    return tabulation_xlsx(
        title=f"Tabulasi SKM {member.unit.name} — {period.name}",
        weighting=period.weighting,
        rows=selectors.tabulation_rows(period, member.unit_id),
        ikm=selectors.unit_result(period, member).ikm,
        demo=period.pemda.is_demo,
        extra_questions=extra_questions_of(member.extra_questions),
        trust=selectors.trust_summary(period, member.unit_id) if period.ask_trust else None,
    )


def tabulation_xlsx(
    *,
    title: str,
    weighting: str,
    rows: list[dict[str, Any]],
    ikm: IkmResult | None,
    demo: bool,
    extra_questions: tuple[ExtraQuestion, ...] = (),
    trust: TrustSummary | None = None,
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
    if trust is not None:
        _trust_sheet(book, rows, trust, bold)
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


def _trust_sheet(book: Any, rows: list[dict[str, Any]], trust: TrustSummary, bold: Any) -> None:
    """The trust question on its own sheet: never part of the IKM. Counts and the agreeing
    share are live formulas over the answers below them; cached values from mutu.indices."""
    sheet = book.add_worksheet("Kepercayaan")
    percent = book.add_format({"num_format": "0.0"})
    sheet.write(0, 0, "Kepercayaan pada layanan — BUKAN bagian dari IKM", bold)
    sheet.write_string(1, 0, f"Pertanyaan: {TRUST_QUESTION}")
    agreeing_words = " dan ".join(f"{a} ({TRUST_ANSWERS[a - 1]})" for a in sorted(AGREEING))
    sheet.write_string(2, 0, f"Setuju = jawaban {agreeing_words}; persen dari yang menjawab.")
    top = 4
    for col, text in enumerate(("Jawaban", "Arti", "Orang", "Persen")):
        sheet.write(top, col, text, bold)
    total_row = top + len(trust.counts) + 1
    total = xl_rowcol_to_cell(total_row, 2)
    answers_first = total_row + 4  # the respondents' answers, below the summary
    column = (
        f"{xl_rowcol_to_cell(answers_first, 1)}:"
        f"{xl_rowcol_to_cell(answers_first + max(len(rows), 1) - 1, 1)}"
    )
    people_cells = {}
    for r, (answer, people, share) in enumerate(trust.distribution, start=top + 1):
        people_cells[answer] = xl_rowcol_to_cell(r, 2)
        sheet.write_number(r, 0, answer)
        sheet.write_string(r, 1, str(TRUST_ANSWERS[answer - 1]))
        sheet.write_formula(r, 2, f"=COUNTIF({column},{answer})", None, people)
        cached = float(share) if trust.answered else ""
        sheet.write_formula(
            r, 3, f'=IF({total}=0,"",100*{people_cells[answer]}/{total})', percent, cached
        )
    sheet.write(total_row, 1, "Menjawab", bold)
    sheet.write_formula(total_row, 2, f"=COUNT({column})", None, trust.answered)
    agreeing = "+".join(people_cells[a] for a in sorted(AGREEING))
    sheet.write(total_row + 1, 1, "Setuju (3–4), %", bold)
    agreeing_share = float(trust.agreeing_share) if trust.agreeing_share is not None else ""
    sheet.write_formula(
        total_row + 1, 2, f'=IF({total}=0,"",100*({agreeing})/{total})', percent, agreeing_share
    )
    sheet.write(answers_first - 1, 0, "No", bold)
    sheet.write(answers_first - 1, 1, "Jawaban (1–4)", bold)
    for index, row in enumerate(rows):
        sheet.write_number(answers_first + index, 0, index + 1)
        if row.get("trust") is not None:
            sheet.write_number(answers_first + index, 1, row["trust"])
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 18)
