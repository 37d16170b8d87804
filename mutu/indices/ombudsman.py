"""Ombudsman RI assessment categories, classified with the scheme of the score's own year.

Schemes (year ranges, bands, labels, zones) live in ``data/ombudsman-schemes.json``: the 2025+ band
table is not yet published and must stay editable without a code change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path

from mutu.indices.datafile import DATA_DIR, Node, read_json
from mutu.indices.decimals import round_half_up, to_decimal
from mutu.indices.errors import InputError

ZONES: tuple[str, ...] = ("hijau", "kuning", "merah", "hitam")
SCORE_MAX = Decimal(100)
SCHEMES_FILE = DATA_DIR / "ombudsman-schemes.json"


@dataclass(frozen=True, slots=True)
class Band:
    lower: Decimal
    grade: str | None
    label: str
    zone: str


@dataclass(frozen=True, slots=True)
class Scheme:
    code: str
    name: str
    legal_basis: str
    first_year: int
    last_year: int | None  # None: still in force
    published: bool  # False: bands not officially published yet (provisional)
    complied_suffix: str | None  # e.g. "Tanpa Maladministrasi" (2025+)
    bands: tuple[Band, ...]  # best first, lower bounds strictly descending, last one 0

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True, slots=True)
class OmbudsmanResult:
    zone: str
    grade: str | None
    label: str
    year: int
    scheme: str
    provisional: bool


def classify(
    score: Decimal | str,
    *,
    year: int,
    complied: bool = False,
    schemes: Sequence[Scheme] | None = None,
) -> OmbudsmanResult:
    """Zone, grade and label of a 0–100 score; ``complied`` adds the 2025+ "Tanpa Maladministrasi".

    The score is rounded half-up to 2 dp first (the precision Ombudsman publishes), so a predicted
    87.996 is shown and classified as 88.00.
    """
    value = to_decimal(score, "score")
    if not 0 <= value <= SCORE_MAX:
        raise InputError("score", f"must be within 0–100, got {value}")
    scheme = scheme_for_year(year, schemes)
    if complied and scheme.complied_suffix is None:
        raise InputError("complied", f"the {year} scheme has no compliance suffix")
    rounded = round_half_up(value, 2)
    band = next(band for band in scheme.bands if rounded >= band.lower)
    label = f"{band.label} {scheme.complied_suffix}" if complied else band.label
    return OmbudsmanResult(
        zone=band.zone,
        grade=band.grade,
        label=label,
        year=year,
        scheme=scheme.code,
        provisional=not scheme.published,
    )


def scheme_for_year(year: int, schemes: Sequence[Scheme] | None = None) -> Scheme:
    """The scheme in force in ``year`` (default: the packaged schemes file)."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError("year", f"must be an integer, got {year!r}")
    candidates = load_schemes() if schemes is None else schemes
    for scheme in candidates:
        if scheme.covers(year):
            return scheme
    raise InputError("year", f"no Ombudsman scheme covers {year}")


@cache
def load_schemes(path: Path = SCHEMES_FILE) -> tuple[Scheme, ...]:
    """Read and validate a schemes file: year ranges ordered and disjoint, bands descending."""
    nodes = read_json(path).child("schemes").items()
    schemes = tuple(_parse_scheme(node) for node in nodes)
    for (_, previous), (node, scheme) in pairwise(zip(nodes, schemes, strict=True)):
        if previous.last_year is None or scheme.first_year <= previous.last_year:
            raise node.error(
                f"must start after the previous scheme ({previous.code})", "first_year"
            )
    return schemes


def _parse_scheme(node: Node) -> Scheme:
    first_year = node.child("first_year").integer()
    last_node = node.optional("last_year")
    last_year = last_node.integer() if last_node else None
    if last_year is not None and last_year < first_year:
        raise node.error(f"is before first_year {first_year}", "last_year")
    suffix_node = node.optional("complied_suffix")
    return Scheme(
        code=node.child("code").text(),
        name=node.child("name").text(),
        legal_basis=node.child("legal_basis").text(),
        first_year=first_year,
        last_year=last_year,
        published=node.child("published").flag(),
        complied_suffix=suffix_node.text() if suffix_node else None,
        bands=_parse_bands(node.child("bands")),
    )


def _parse_bands(node: Node) -> tuple[Band, ...]:
    bands = tuple(_parse_band(item) for item in node.items())
    lowers = [band.lower for band in bands]
    if lowers[0] > SCORE_MAX or any(a <= b for a, b in pairwise(lowers)):
        raise node.error("lower bounds must be strictly descending, from at most 100")
    if lowers[-1] != 0:
        raise node.error("the last band must start at 0 so every score has a band")
    grades = [band.grade for band in bands]
    if None in grades and any(grades):
        raise node.error("either every band has a grade or none has")
    if any(grades) and len(set(grades)) != len(grades):
        raise node.error("grades must be unique")
    return bands


def _parse_band(node: Node) -> Band:
    zone = node.child("zone").text()
    if zone not in ZONES:
        raise node.error(f"must be one of {', '.join(ZONES)}, got {zone!r}", "zone")
    grade_node = node.optional("grade")
    return Band(
        lower=node.child("lower").decimal(),
        grade=grade_node.text() if grade_node else None,
        label=node.child("label").text(),
        zone=zone,
    )
