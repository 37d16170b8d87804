"""Command line check of a published number, printing JSON (decimals as strings, dot separator).

    python -m mutu.indices ikm --totals persyaratan=170,prosedur=165,... --counts 50
    python -m mutu.indices sample 1000
    python -m mutu.indices ipp --instrument pekppp-2022 --scores @scores.json [--f03 4.2]
    python -m mutu.indices ombudsman 73.87 --year 2022
    python -m mutu.indices deadline --start 2026-03-19T10:00+07:00 --days 5 --tz Asia/Jakarta \
        --holidays holidays-2026.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from mutu.indices.calendar import WorkingCalendar, parse_holidays_csv
from mutu.indices.decimals import round_half_up, to_decimal
from mutu.indices.errors import InputError
from mutu.indices.ikm import UNSUR_CODES, WEIGHTINGS, compute_ikm
from mutu.indices.ipp import compute_ipp, load_instrument
from mutu.indices.ombudsman import classify
from mutu.indices.sampling import krejcie_morgan


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command: Callable[[argparse.Namespace], dict[str, object]] = args.command
    try:
        result = command(args)
    except ValueError as exc:  # InputError, DataFileError and bad argument values
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an @scores or --holidays file that cannot be read
        print(f"error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    print(json.dumps(result, default=str, ensure_ascii=False, indent=2))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mutu.indices",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True)

    ikm = commands.add_parser("ikm", help="IKM from sums and numbers of answers per unsur")
    ikm.add_argument(
        "--totals", required=True, help="code=sum,… (codes: " + ",".join(UNSUR_CODES) + ")"
    )
    ikm.add_argument("--counts", required=True, help="code=n,… or one n for every unsur")
    ikm.add_argument("--weighting", choices=WEIGHTINGS, default="exact")
    ikm.set_defaults(command=_ikm)

    sample = commands.add_parser("sample", help="Krejcie–Morgan sample size")
    sample.add_argument("population", type=int)
    sample.set_defaults(command=_sample)

    ipp = commands.add_parser("ipp", help="IPP from indicator scores (JSON object or @file)")
    ipp.add_argument("--instrument", default="pekppp-2022")
    ipp.add_argument("--scores", required=True)
    ipp.add_argument("--f03")
    ipp.add_argument("--f03-weight", default="0.25")
    ipp.set_defaults(command=_ipp)

    ombudsman = commands.add_parser("ombudsman", help="Ombudsman zone and category")
    ombudsman.add_argument("score")
    ombudsman.add_argument("--year", type=int, required=True)
    ombudsman.add_argument("--complied", action="store_true")
    ombudsman.set_defaults(command=_ombudsman)

    deadline = commands.add_parser("deadline", help="working-day deadline")
    deadline.add_argument("--start", required=True, help="ISO datetime with offset")
    deadline.add_argument("--days", type=int, required=True)
    deadline.add_argument("--tz", default="Asia/Jakarta")
    deadline.add_argument("--holidays", type=Path, help="CSV with a date column")
    deadline.set_defaults(command=_deadline)
    return parser


def _ikm(args: argparse.Namespace) -> dict[str, object]:
    totals = _pairs(args.totals, "totals")
    counts = (
        dict.fromkeys(totals, _integer(args.counts, "counts"))
        if "=" not in args.counts
        else _pairs(args.counts, "counts")
    )
    result = compute_ikm(totals, counts, weighting=args.weighting)
    return asdict(result) | {
        "nrr_rounded": {code: round_half_up(value, 2) for code, value in result.nrr.items()},
        "ikm_rounded": round_half_up(result.ikm, 4),
        "score_rounded": round_half_up(result.score, 2),
    }


def _pairs(text: str, field: str) -> dict[str, int]:
    pairs: dict[str, int] = {}
    for item in text.split(","):
        code, separator, value = item.partition("=")
        if not separator:
            raise InputError(field, f"expected code=value, got {item!r}")
        pairs[code.strip()] = _integer(value, f"{field}[{code.strip()!r}]")
    return pairs


def _integer(text: str, field: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(field, f"not an integer: {text!r}") from None


def _sample(args: argparse.Namespace) -> dict[str, object]:
    return {"population": args.population, "sample": krejcie_morgan(args.population)}


def _ipp(args: argparse.Namespace) -> dict[str, object]:
    text = (
        Path(args.scores[1:]).read_text(encoding="utf-8")
        if args.scores.startswith("@")
        else args.scores
    )
    try:
        scores = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("scores", f"invalid JSON: {exc.msg}") from None
    if not isinstance(scores, dict):
        raise InputError("scores", "expected a JSON object of indicator code → score or null")
    f03 = None if args.f03 is None else to_decimal(args.f03, "f03")
    result = compute_ipp(
        load_instrument(args.instrument),
        scores,
        f03=f03,
        f03_weight=to_decimal(args.f03_weight, "f03_weight"),
    )
    return asdict(result) | {"index_rounded": round_half_up(result.index, 2)}


def _ombudsman(args: argparse.Namespace) -> dict[str, object]:
    result = classify(args.score, year=args.year, complied=args.complied)
    return {"score": args.score} | asdict(result)


def _deadline(args: argparse.Namespace) -> dict[str, object]:
    holidays = (
        parse_holidays_csv(args.holidays.read_text(encoding="utf-8")) if args.holidays else []
    )
    try:
        start = datetime.fromisoformat(args.start)
    except ValueError:
        raise InputError("start", f"not an ISO datetime: {args.start!r}") from None
    calendar = WorkingCalendar(holidays, args.tz)
    deadline = calendar.add_working_days(start, args.days)
    return {
        "start": start.isoformat(),
        "days": args.days,
        "tz": args.tz,
        "deadline": deadline.isoformat(),
    }


if __name__ == "__main__":  # pragma: no cover - exercised through main() in the tests
    sys.exit(main())
