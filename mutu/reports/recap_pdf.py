"""Rekapitulasi SKM of a Pemda for one period (A4 PDF, for the head of region): every unit's IKM,
mutu, sample adequacy (respondents against the Krejcie–Morgan target) and RTL status.

The numbers are the period page's (selectors.period_summaries, mutu.indices underneath), so the
recap and the screen never disagree.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mutu.reports.skm_pdf import logo_data_uri, signing_place
from mutu.surveys import selectors
from mutu.surveys.models import PeriodUnit, RtlItem, SurveyPeriod

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class RtlStatus:
    planned: int = 0
    in_progress: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.planned + self.in_progress + self.done

    @property
    def words(self) -> str:
        if not self.total:
            return "Belum ada RTL"
        parts = [
            (self.done, "selesai"),
            (self.in_progress, "berjalan"),
            (self.planned, "direncanakan"),
        ]
        return ", ".join(f"{n} {label}" for n, label in parts if n)


@dataclass(frozen=True)
class RecapRow:
    member: PeriodUnit
    result: selectors.UnitResult
    rtl: RtlStatus

    @property
    def sample_words(self) -> str:
        if self.result.target is None:
            return "Populasi belum diisi"
        if self.result.short_of_target:
            return f"Kurang {self.result.short_of_target}"
        return "Terpenuhi"


def rtl_statuses(period: SurveyPeriod) -> dict[int, RtlStatus]:
    """RTL items of the period per unit and status (one GROUP BY)."""
    counts: dict[int, Counter[str]] = {}
    rows = RtlItem.objects.filter(period=period).values_list("unit_id", "status")
    for unit_id, status, n in rows.annotate(n=Count("id")):
        counts.setdefault(unit_id, Counter())[status] += n
    return {
        unit_id: RtlStatus(
            planned=c[RtlItem.Status.PLANNED],
            in_progress=c[RtlItem.Status.IN_PROGRESS],
            done=c[RtlItem.Status.DONE],
        )
        for unit_id, c in counts.items()
    }


def recap_rows(period: SurveyPeriod) -> list[RecapRow]:
    members = list(
        PeriodUnit.objects.filter(period=period).select_related("unit").order_by("unit__path")
    )
    summaries = selectors.period_summaries(period, members)
    rtl = rtl_statuses(period)
    return [RecapRow(m, summaries[m.unit_id], rtl.get(m.unit_id, RtlStatus())) for m in members]


def recap_context(period: SurveyPeriod) -> dict[str, Any]:
    rows = recap_rows(period)
    graded = [r for r in rows if r.result.ikm]
    return {
        "period": period,
        "pemda": period.pemda,
        "logo": logo_data_uri(period.pemda),
        "place": signing_place(period.pemda),
        "rows": rows,
        "pemda_ikm": selectors.pemda_result(period),
        "grades": Counter(r.result.ikm.grade for r in graded if r.result.ikm),
        "units": len(rows),
        "units_graded": len(graded),
        "units_short": sum(1 for r in rows if r.result.short_of_target),
        "units_without_rtl": sum(1 for r in graded if not r.rtl.total),
        "generated_at": timezone.now(),
    }


def render_pemda_recap_pdf(period: SurveyPeriod, progress: Progress) -> bytes:
    from weasyprint import HTML

    progress(20, "Menghitung hasil semua unit")
    with timezone.override(ZoneInfo(period.pemda.timezone)), translation.override("id"):
        context = recap_context(period)
        progress(50, "Menyusun dokumen")
        html = render_to_string("reports/pemda_recap.html", context)
    progress(70, "Mencetak PDF")
    pdf: bytes = HTML(string=html).write_pdf()
    progress(95, "Menyimpan")
    return pdf
