"""Laporan SKM of one unit as an A4 PDF (WeasyPrint), ready to sign: cover with the Pemda's logo,
lembar pengesahan, kata pengantar, daftar isi, BAB I–V, RTL table, lampiran.

Every number comes from mutu.indices (ikm.py, sampling.py, trust.py) through the survey
selectors; this module only arranges them. WeasyPrint is imported only here, when a report is
made: the web app itself does not need the system's Pango libraries to start.
"""

import base64
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mutu.indices.ikm import IkmResult, unsur_weight, weighted_nrr
from mutu.indices.trust import TrustSummary
from mutu.organisations.models import Pemda
from mutu.surveys import selectors
from mutu.surveys.charts import nrr_bars
from mutu.surveys.instrument import (
    STANDARD_QUESTIONS,
    TRUST_ANSWERS,
    TRUST_QUESTION,
    extra_questions_of,
)
from mutu.surveys.models import Answer, PeriodUnit, Response, Unsur

Progress = Callable[[int, str], None]

# Column headers of the respondent profile tables: the model's verbose names are not all
# Indonesian (Response.service has none), and a report is read in Indonesian.
PROFILE_HEADERS = {
    "service": "Layanan",
    "gender": "Jenis kelamin",
    "age_band": "Usia",
    "education": "Pendidikan terakhir",
    "occupation": "Pekerjaan",
    "channel": "Saluran",
}
UNSUR_NAMES: dict[str, str] = {code: str(label) for code, label in Unsur.choices}
LOGO_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}


@dataclass(frozen=True)
class UnsurRow:
    """One line of the PermenPANRB 14/2017 tabulation: unsur, sums, NRR and NRR tertimbang."""

    code: str
    name: str
    total: int
    answers: int
    nrr: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Suggestion:
    text: str  # as the most recent respondent wrote it
    count: int  # how many wrote the same thing (after normalising)


def normalise_suggestion(text: str) -> str:
    """The words of a suggestion without case, accents, punctuation or repeated spaces, so that
    "Antrean lama!!" and "antrean  lama" count as one."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def dedupe_suggestions(texts: Iterable[str]) -> list[Suggestion]:
    """Suggestions newest first → one line per distinct text with its count, most frequent first
    (ties keep the newest first). Texts with no words at all (".", "-") are left out."""
    first_text: dict[str, str] = {}
    counts: dict[str, int] = {}
    for text in texts:
        key = normalise_suggestion(text)
        if not key:
            continue
        first_text.setdefault(key, " ".join(text.split()))
        counts[key] = counts.get(key, 0) + 1
    order = {key: index for index, key in enumerate(first_text)}
    keys = sorted(counts, key=lambda k: (-counts[k], order[k]))
    return [Suggestion(first_text[k], counts[k]) for k in keys]


def unsur_rows(member: PeriodUnit, ikm: IkmResult) -> list[UnsurRow]:
    """The per-unsur tabulation of the counted (not quarantined) answers; NRR and NRR tertimbang
    are mutu.indices' numbers, the sums are shown so that a reader can check them."""
    sums = {
        row["unsur"]: row
        for row in Answer.objects.filter(
            period=member.period, unit_id=member.unit_id, response__quarantined=False
        )
        .values("unsur")
        .annotate(total=Sum("value"), n=Count("value"))
    }
    weighted = weighted_nrr(ikm)
    return [
        UnsurRow(code, UNSUR_NAMES[code], sums[code]["total"], sums[code]["n"], nrr, weighted[code])
        for code, nrr in ikm.nrr.items()
    ]


def trust_rows(summary: TrustSummary) -> list[tuple[str, int]]:
    """One (words, people) row per answer of the trust question, in scale order."""
    return [(str(TRUST_ANSWERS[a - 1]), n) for a, n in summary.counts.items()]


def logo_data_uri(pemda: Pemda) -> str | None:
    """The Pemda's logo embedded in the document (no file path or URL for WeasyPrint to fetch).
    A logo whose file is gone leaves the cover without it rather than failing the report."""
    if not pemda.logo:
        return None
    try:
        with pemda.logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return None
    mime = next((m for magic, m in LOGO_TYPES.items() if content.startswith(magic)), None)
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def signing_place(pemda: Pemda) -> str:
    """The place printed before the signing date: the kabupaten/kota (or province) name."""
    name = pemda.region.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def skm_unit_context(member: PeriodUnit) -> dict[str, Any]:
    period = member.period
    page = selectors.unit_page(period, member)
    result = page.result
    ikm = result.ikm
    ranked = sorted(ikm.nrr.items(), key=lambda kv: kv[1]) if ikm else []
    suggestions = dedupe_suggestions(
        Response.objects.filter(period=period, unit_id=member.unit_id, quarantined=False)
        .exclude(suggestion="")
        .order_by("-submitted_at", "-id")
        .values_list("suggestion", flat=True)
    )
    trust = selectors.trust_summary(period, member.unit_id)
    lowest = [(UNSUR_NAMES[c], v) for c, v in ranked[:3]]
    highest = [(UNSUR_NAMES[c], v) for c, v in ranked[-3:][::-1]]
    return {
        "period": period,
        "unit": member.unit,
        "pemda": period.pemda,
        "member": member,
        "result": result,
        "logo": logo_data_uri(period.pemda),
        "place": signing_place(period.pemda),
        "unsur_rows": unsur_rows(member, ikm) if ikm else [],
        "weight": unsur_weight(ikm) if ikm else None,
        "chart": nrr_bars(result, width=260),
        "breakdowns": [(PROFILE_HEADERS.get(b.field, b.label), b) for b in page.breakdowns],
        "lowest": lowest,
        "extremes": list(zip(lowest, highest, strict=True)),
        "rtl": selectors.rtl_items(period, member.unit_id),
        "fkps": selectors.fkp_records(period, member.unit_id),
        "suggestions": suggestions[:40],
        "suggestions_more": max(len(suggestions) - 40, 0),
        "suggestions_total": sum(s.count for s in suggestions),
        "trust": trust,
        "trust_rows": trust_rows(trust),
        "trust_question": TRUST_QUESTION,
        "questions": STANDARD_QUESTIONS,
        "own_questions": extra_questions_of(member.extra_questions),
        "extra_results": page.extras,
        "samples": selectors.service_samples(period, member.unit_id),
        "generated_at": timezone.now(),
    }


def render_skm_unit_pdf(member: PeriodUnit, progress: Progress) -> bytes:
    from weasyprint import HTML

    progress(20, "Menghitung hasil")
    # Dates and times in the report are the Pemda's own (WIB/WITA/WIT); words and numbers are
    # Indonesian whatever language the worker runs in.
    with timezone.override(ZoneInfo(member.period.pemda.timezone)), translation.override("id"):
        context = skm_unit_context(member)
        progress(50, "Menyusun dokumen")
        html = render_to_string("reports/skm_unit.html", context)
    progress(70, "Mencetak PDF")
    pdf: bytes = HTML(string=html).write_pdf()
    progress(95, "Menyimpan")
    return pdf
