"""Data files: packaged instruments and Ombudsman schemes, and clear errors for malformed copies."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mutu.indices import DataFileError, InputError, load_instrument, load_instrument_file
from mutu.indices.datafile import DATA_DIR
from mutu.indices.ipp import load_instrument as cached_load_instrument
from mutu.indices.ombudsman import SCHEMES_FILE, load_schemes

INSTRUMENT_2022 = json.loads((DATA_DIR / "pekppp-2022.json").read_text(encoding="utf-8"))
SCHEMES = json.loads(SCHEMES_FILE.read_text(encoding="utf-8"))


def test_pekppp_2022_structure() -> None:
    instrument = load_instrument("pekppp-2022")
    assert instrument.code == "pekppp-2022"
    assert (instrument.score_min, instrument.score_max) == (0, 5)
    assert [(a.code, int(a.weight)) for a in instrument.aspects] == [
        ("a", 24), ("b", 25), ("c", 18), ("d", 11), ("e", 10), ("f", 12)
    ]  # fmt: skip
    weights = {a.code: [int(i.weight) for i in a.indicators] for a in instrument.aspects}
    assert weights == {
        "a": [17, 14, 7, 14, 10, 17, 7, 7, 7],
        "b": [10, 20, 20, 20, 30],
        "c": [15, 23, 20, 20, 11, 11],
        "d": [30, 20, 20, 30],
        "e": [20, 25, 25, 30],
        "f": [50, 50],
    }
    codes = [indicator.code for indicator in instrument.indicators]
    assert len(codes) == len(set(codes)) == 30
    assert codes[0] == "1.a.Ak" and codes[-1] == "30.f.B"
    for aspect in instrument.aspects:  # the aspect letter in each code matches its aspect
        assert all(i.code.split(".")[1] == aspect.code for i in aspect.indicators)
    assert all(len(i.descriptors) == 6 for i in instrument.indicators)
    # Only weights 1–9 come from official KemenPANRB slides.
    assert [i.weight_verified for i in instrument.indicators] == [True] * 9 + [False] * 21


def test_pekppp_2017_loads_the_same_way_and_says_confidence_is_low() -> None:
    instrument = load_instrument("pekppp-2017")
    assert [int(a.weight) for a in instrument.aspects] == [30, 18, 15, 15, 15, 7]
    assert instrument.confidence == "low"
    assert instrument.legal_basis == "PermenPANRB 17/2017"
    assert not any(i.weight_verified for i in instrument.indicators)


@pytest.mark.parametrize("code", ["pekppp-1999", "../pekppp-2022", "PEKPPP-2022", ""])
def test_unknown_instrument_code(code: str) -> None:
    with pytest.raises(InputError, match=r"^code: unknown instrument"):
        load_instrument(code)


def write(tmp_path: Path, data: Any, name: str = "edited.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def edited_instrument(change: str) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(INSTRUMENT_2022)
    aspect, indicator = data["aspects"][1], data["aspects"][1]["indicators"][2]
    match change:
        case "indicator weight sum":
            indicator["weight"] = 21
        case "aspect weight sum":
            aspect["weight"] = 26
        case "negative weight":
            indicator["weight"] = -20
            aspect["indicators"][3]["weight"] = 60
        case "weight text":
            indicator["weight"] = "twenty"
        case "weight type":
            indicator["weight"] = [20]
        case "weight infinite":
            indicator["weight"] = "Infinity"
        case "duplicate indicator":
            indicator["code"] = "1.a.Ak"
        case "duplicate aspect":
            aspect["code"] = "a"
        case "missing text":
            del indicator["text"]
        case "blank text":
            indicator["text"] = "  "
        case "flag":
            indicator["weight_verified"] = "yes"
        case "descriptors":
            indicator["descriptors"] = indicator["descriptors"][:5]
        case "no indicators":
            aspect["indicators"] = []
        case "scale":
            data["scale"] = {"min": 1, "max": 1}
        case "scale type":
            data["scale"]["max"] = 5.0
        case "aspects type":
            data["aspects"] = {"a": {}}
        case "aspect number":
            aspect["number"] = True
        case "not an object":
            data["aspects"][1] = ["a"]
    return data


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("indicator weight sum", "aspects[1].indicators", "indicator weights must sum to 100"),
        ("aspect weight sum", "aspects", "aspect weights must sum to 100, got 101"),
        ("negative weight", "aspects[1].indicators[2].weight", "must be positive"),
        ("weight text", "aspects[1].indicators[2].weight", "not a number"),
        ("weight type", "aspects[1].indicators[2].weight", "expected a number"),
        ("weight infinite", "aspects[1].indicators[2].weight", "finite"),
        ("duplicate indicator", "aspects", "duplicate indicator code '1.a.Ak'"),
        ("duplicate aspect", "aspects", "duplicate aspect code 'a'"),
        ("missing text", "aspects[1].indicators[2].text", "missing"),
        ("blank text", "aspects[1].indicators[2].text", "non-empty string"),
        ("flag", "aspects[1].indicators[2].weight_verified", "true or false"),
        ("descriptors", "aspects[1].indicators[2].descriptors", "expected 6 descriptors"),
        ("no indicators", "aspects[1].indicators", "non-empty list"),
        ("scale", "scale", "min < max"),
        ("scale type", "scale.max", "expected an integer"),
        ("aspects type", "aspects", "non-empty list"),
        ("aspect number", "aspects[1].number", "expected an integer"),
        ("not an object", "aspects[1]", "expected an object"),
    ],
)
def test_malformed_instrument_names_file_and_field(
    tmp_path: Path, change: str, field: str, message: str
) -> None:
    path = write(tmp_path, edited_instrument(change))
    with pytest.raises(DataFileError) as excinfo:
        load_instrument_file(path)
    assert excinfo.value.field == field
    assert str(excinfo.value).startswith(f"edited.json: {field}: ")
    assert message in str(excinfo.value)


def test_edited_copy_with_decimal_weights_loads(tmp_path: Path) -> None:
    data = copy.deepcopy(INSTRUMENT_2022)
    data["aspects"][5]["indicators"][0]["weight"] = "49.5"
    data["aspects"][5]["indicators"][1]["weight"] = 50.5  # a JSON number with a fraction
    del data["aspects"][5]["indicators"][0]["descriptors"]
    instrument = load_instrument_file(write(tmp_path, data))
    innovation = instrument.aspects[5].indicators
    assert [i.weight for i in innovation] == [Decimal("49.5"), Decimal("50.5")]
    assert innovation[0].descriptors == ()


def test_unreadable_and_invalid_json_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"^absent\.json: \(file\): cannot read"):
        load_instrument_file(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"code": ', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"^broken\.json: \(file\): invalid JSON at line 1"):
        load_instrument_file(broken)


def test_packaged_file_whose_code_does_not_match_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy.deepcopy(INSTRUMENT_2022) | {"code": "pekppp-2023"}
    write(tmp_path, data, "pekppp-2022.json")
    monkeypatch.setattr("mutu.indices.ipp.DATA_DIR", tmp_path)
    cached_load_instrument.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"^pekppp-2022\.json: code: is 'pekppp-2023'"):
            load_instrument("pekppp-2022")
    finally:
        cached_load_instrument.cache_clear()


def test_packaged_ombudsman_schemes() -> None:
    schemes = load_schemes()
    assert [(s.code, s.first_year, s.last_year) for s in schemes] == [
        ("kepatuhan-2015", 2015, 2021),
        ("penyelenggaraan-2022", 2022, 2024),
        ("opini-2025", 2025, None),
    ]
    assert [s.published for s in schemes] == [True, True, False]
    assert schemes[2].complied_suffix == "Tanpa Maladministrasi"


def edited_schemes(change: str) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(SCHEMES)
    scheme, bands = data["schemes"][1], data["schemes"][1]["bands"]
    match change:
        case "unordered bands":
            bands[1]["lower"] = "90"
        case "equal bands":
            bands[1]["lower"] = "88.00"
        case "band above 100":
            bands[0]["lower"] = "101"
        case "no zero band":
            bands[-1]["lower"] = "1"
        case "zone":
            bands[2]["zone"] = "biru"
        case "some grades":
            bands[2]["grade"] = None
        case "duplicate grade":
            bands[2]["grade"] = "B"
        case "year order":
            scheme["first_year"] = 2021
        case "open-ended before last":
            data["schemes"][0]["last_year"] = None
        case "reversed years":
            scheme["last_year"] = 2020
        case "year type":
            scheme["first_year"] = "2022"
        case "empty":
            data["schemes"] = []
        case "suffix":
            scheme["complied_suffix"] = 7
    return data


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("unordered bands", "schemes[1].bands", "strictly descending"),
        ("equal bands", "schemes[1].bands", "strictly descending"),
        ("band above 100", "schemes[1].bands", "at most 100"),
        ("no zero band", "schemes[1].bands", "start at 0"),
        ("zone", "schemes[1].bands[2].zone", "must be one of hijau, kuning, merah, hitam"),
        ("some grades", "schemes[1].bands", "either every band has a grade or none"),
        ("duplicate grade", "schemes[1].bands", "grades must be unique"),
        ("year order", "schemes[1].first_year", "must start after the previous scheme"),
        ("open-ended before last", "schemes[1].first_year", "after the previous scheme"),
        ("reversed years", "schemes[1].last_year", "is before first_year 2022"),
        ("year type", "schemes[1].first_year", "expected an integer"),
        ("empty", "schemes", "non-empty list"),
        ("suffix", "schemes[1].complied_suffix", "non-empty string"),
    ],
)
def test_malformed_schemes_name_file_and_field(
    tmp_path: Path, change: str, field: str, message: str
) -> None:
    path = write(tmp_path, edited_schemes(change), "schemes.json")
    with pytest.raises(DataFileError) as excinfo:
        load_schemes(path)
    assert str(excinfo.value).startswith(f"schemes.json: {field}: ")
    assert message in str(excinfo.value)


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"^list\.json: \(root\): expected an object"):
        load_schemes(write(tmp_path, [], "list.json"))
