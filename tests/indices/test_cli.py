"""``python -m mutu.indices``: an analyst checks a published number from the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mutu.indices.__main__ import main

EXAMPLE_TOTALS = (
    "persyaratan=170,prosedur=165,waktu=150,biaya=180,produk=160,"
    "kompetensi=175,perilaku=185,sarana=140,pengaduan=155"
)
FIXTURE_HOLIDAYS = Path(__file__).parent / "holidays_2026.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(list(argv)) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    ("weighting", "ikm", "score"),
    [("exact", "3.2889", "82.22"), ("0.111", "3.2856", "82.14"), ("0.11", "3.2560", "81.40")],
)
def test_ikm_worked_example(
    capsys: pytest.CaptureFixture[str], weighting: str, ikm: str, score: str
) -> None:
    out = run(capsys, "ikm", "--totals", EXAMPLE_TOTALS, "--counts", "50", "--weighting", weighting)
    assert (out["ikm_rounded"], out["score_rounded"], out["grade"]) == (ikm, score, "B")
    assert out["score_display"] == score.replace(".", ",")
    assert out["nrr_rounded"] == {"persyaratan": "3.40"} | out["nrr_rounded"]  # type: ignore[operator]


def test_ikm_counts_per_unsur(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        capsys,
        "ikm",
        "--totals",
        "persyaratan=7,prosedur=8",
        "--counts",
        "persyaratan=2,prosedur=4",
    )
    assert out["ikm"] == "2.75"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["ikm", "--totals", "persyaratan:170", "--counts", "50"],
            "error: totals: expected code=value",
        ),
        (
            ["ikm", "--totals", "persyaratan=x", "--counts", "50"],
            "error: totals['persyaratan']: not",
        ),
        (
            ["ikm", "--totals", "persyaratan=170", "--counts", "lima"],
            "error: counts: not an integer",
        ),
        (["ikm", "--totals", "persyaratan=500", "--counts", "50"], "error: totals['persyaratan']"),
        (["sample", "--", "-5"], "error: population: must be a non-negative integer"),
        (["ombudsman", "101", "--year", "2022"], "error: score: must be within 0–100"),
        (["ipp", "--scores", "{not json"], "error: scores: invalid JSON"),
        (["ipp", "--scores", "[3, 3]"], "error: scores: expected a JSON object"),
        (["ipp", "--scores", "{}", "--instrument", "pekppp-1999"], "error: code: unknown"),
        (["ipp", "--scores", "{}", "--f03", "x"], "error: f03: not a number"),
        (["deadline", "--start", "tomorrow", "--days", "1"], "error: start: not an ISO datetime"),
        (
            ["deadline", "--start", "2026-01-09T10:00", "--days", "1"],
            "error: start: must be a time",
        ),
    ],
)
def test_errors_go_to_stderr_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert fail(capsys, *argv).startswith(message)


def test_unreadable_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert fail(capsys, "ipp", "--scores", f"@{missing}").startswith(f"error: {missing}: No such")
    argv = ["deadline", "--start", "2026-01-09T10:00+07:00", "--days", "1"]
    assert "No such file" in fail(capsys, *argv, "--holidays", str(missing))


def test_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "sample", "1000") == {"population": 1000, "sample": 278}


def test_ipp_from_inline_json_and_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from mutu.indices import load_instrument

    scores: dict[str, int | None] = {i.code: 3 for i in load_instrument("pekppp-2022").indicators}
    scores |= {"29.f.B": 5, "30.f.B": 5, "15.c.K": None}
    out = run(capsys, "ipp", "--scores", json.dumps(scores))
    assert (out["index_rounded"], out["category"], out["not_applicable"]) == (
        "3.24",
        "B-",
        ["15.c.K"],
    )
    path = tmp_path / "scores.json"
    path.write_text(json.dumps(scores), encoding="utf-8")
    blended = run(capsys, "ipp", "--scores", f"@{path}", "--f03", "4", "--f03-weight", "0.5")
    assert (blended["index"], blended["f03"], blended["f03_weight"]) == ("3.62", "4", "0.5")


def test_ombudsman(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "ombudsman", "73.87", "--year", "2022")
    assert (out["zone"], out["grade"], out["label"]) == ("kuning", "C", "Kualitas Sedang")
    out = run(capsys, "ombudsman", "90", "--year", "2025", "--complied")
    assert out["label"] == "Opini Kualitas Tertinggi Tanpa Maladministrasi"
    assert out["provisional"] is True


def test_deadline_with_holiday_file(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["deadline", "--start", "2026-03-17T09:00+07:00", "--days", "1"]
    assert run(capsys, *argv, "--holidays", str(FIXTURE_HOLIDAYS))["deadline"] == (
        "2026-03-25T23:59:59+07:00"
    )
    assert run(capsys, *argv, "--tz", "Asia/Jayapura")["deadline"] == "2026-03-18T23:59:59+09:00"


def test_runs_as_a_module() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mutu.indices", "sample", "100"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert json.loads(completed.stdout)["sample"] == 80
