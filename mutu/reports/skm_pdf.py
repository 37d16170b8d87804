"""Laporan SKM of one unit as an A4 PDF (WeasyPrint): BAB I–V, RTL table, lampiran.

WeasyPrint is imported only here, when a report is made: the web app itself does not need
the system's Pango libraries to start.
"""

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors
from mutu.surveys.charts import nrr_bars
from mutu.surveys.instrument import STANDARD_QUESTIONS, extra_questions_of
from mutu.surveys.models import PeriodUnit, Response

Progress = Callable[[int, str], None]


def skm_unit_context(member: PeriodUnit) -> dict[str, Any]:
    period = member.period
    page = selectors.unit_page(period, member)
    result = page.result
    nrr = result.ikm.nrr if result.ikm else {}
    ranked = sorted(nrr.items(), key=lambda kv: kv[1])
    suggestions = list(
        Response.objects.filter(period=period, unit_id=member.unit_id, quarantined=False)
        .exclude(suggestion="")
        .order_by("-submitted_at")
        .values_list("suggestion", flat=True)[:15]
    )
    return {
        "period": period,
        "unit": member.unit,
        "pemda": period.pemda,
        "member": member,
        "result": result,
        "chart": nrr_bars(result, width=260),
        "breakdowns": page.breakdowns,
        "lowest": ranked[:3],
        "highest": ranked[-3:][::-1],
        "rtl": selectors.rtl_items(period, member.unit_id),
        "fkps": selectors.fkp_records(period, member.unit_id),
        "suggestions": suggestions,
        "questions": STANDARD_QUESTIONS,
        "own_questions": extra_questions_of(member.extra_questions),
        "extra_results": page.extras,
        "samples": selectors.service_samples(period, member.unit_id),
        "codes": UNSUR_CODES,
        "generated_at": timezone.now(),
    }


def render_skm_unit_pdf(member: PeriodUnit, progress: Progress) -> bytes:
    from weasyprint import HTML

    progress(20, "Menghitung hasil")
    # Dates and times in the report are the Pemda's own (WIB/WITA/WIT).
    with timezone.override(ZoneInfo(member.period.pemda.timezone)):
        context = skm_unit_context(member)
        progress(50, "Menyusun dokumen")
        html = render_to_string("reports/skm_unit.html", context)
    progress(70, "Mencetak PDF")
    pdf: bytes = HTML(string=html).write_pdf()
    progress(95, "Menyimpan")
    return pdf


def poster_pdf(*, link: Any, url: str, size: str) -> bytes:
    """The printable QR poster (A4 or A5) as PDF: unit, Pemda logo, question, QR, address."""
    import base64
    import io

    import segno
    from weasyprint import HTML

    buffer = io.BytesIO()
    segno.make(url, error="q").save(buffer, kind="svg", scale=10, border=2, xmldecl=False)
    qr = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    html = render_to_string(
        "reports/poster.html",
        {"link": link, "url": url, "pemda": link.unit.pemda, "size": size, "qr": qr},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
