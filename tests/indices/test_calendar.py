"""Working-day deadlines (docs/methodology.md §6) with the 2026 SKB 3 Menteri holiday list."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutu.indices import InputError, WorkingCalendar, parse_holidays_csv

# The SKB 3 Menteri list for 2026 in the holiday CSV format (docs/methodology.md §6).
HOLIDAYS_2026 = parse_holidays_csv(
    (Path(__file__).parent / "holidays_2026.csv").read_text(encoding="utf-8")
)
NEW_YEAR_2027 = date(2027, 1, 1)
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


def calendar(tz: str = WIB) -> WorkingCalendar:
    return WorkingCalendar([*HOLIDAYS_2026, NEW_YEAR_2027], tz)


def local(text: str, tz: str = WIB) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def end_of(day: str, tz: str = WIB) -> datetime:
    return local(f"{day}T23:59:59", tz)


def test_holiday_fixture_is_the_2026_list() -> None:
    assert len(HOLIDAYS_2026) == 25  # 17 libur nasional + 8 cuti bersama
    assert HOLIDAYS_2026[0] == date(2026, 1, 1) and HOLIDAYS_2026[-1] == date(2026, 12, 25)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-01-09", True),  # Friday
        ("2026-01-10", False),  # Saturday
        ("2026-01-11", False),  # Sunday
        ("2026-01-16", False),  # Isra Mikraj (libur nasional, Friday)
        ("2026-02-16", False),  # cuti bersama Imlek (Monday)
        ("2026-03-24", False),  # cuti bersama Idul Fitri (Tuesday)
        ("2026-03-25", True),
        ("2026-12-24", False),  # cuti bersama Natal
        ("2027-01-01", False),
        ("2027-01-04", True),
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert calendar().is_working_day(date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        ("2026-01-09T10:00", 1, "2026-01-12"),  # Friday → Monday over the weekend
        ("2026-01-05T08:00", 5, "2026-01-12"),
        ("2026-01-05T08:00", 0, "2026-01-05"),  # 0 days: end of the same working day
        ("2026-01-15T09:00", 1, "2026-01-19"),  # Friday 16th is Isra Mikraj
        ("2026-02-13T09:00", 1, "2026-02-18"),  # Mon 16 cuti bersama, Tue 17 Imlek
        ("2026-03-17T09:00", 1, "2026-03-25"),  # Idul Fitri block 18–24 March
        ("2026-03-16T09:00", 5, "2026-03-30"),
        ("2026-05-13T09:00", 1, "2026-05-18"),  # Kenaikan 14 + cuti bersama 15
        ("2026-05-26T09:00", 14, "2026-06-19"),  # Idul Adha + cuti, Pancasila, 1 Muharram
        ("2026-08-17T09:00", 0, "2026-08-18"),  # start on a holiday counts from next working day
        ("2026-08-17T09:00", 1, "2026-08-19"),
        ("2026-01-10T09:00", 1, "2026-01-13"),  # start on Saturday → received Monday
        ("2026-12-23T10:00", 3, "2026-12-30"),  # year end: 24 cuti, 25 Natal, weekend
        ("2026-12-30T10:00", 2, "2027-01-04"),  # across the year boundary and 1 Jan 2027
        ("2026-12-31T23:30", 1, "2027-01-04"),  # still 31 December locally
    ],
)
def test_add_working_days(start: str, days: int, deadline: str) -> None:
    assert calendar().add_working_days(local(start), days) == end_of(deadline)


def test_friday_evening_in_wit_is_already_saturday() -> None:
    start = datetime(2026, 1, 9, 16, 30, tzinfo=UTC)  # 23:30 WIB Friday, 01:30 WIT Saturday
    in_wib = calendar(WIB).add_working_days(start, 1)
    in_wit = calendar(WIT).add_working_days(start, 1)
    assert in_wib == end_of("2026-01-12", WIB)
    assert in_wit == end_of("2026-01-13", WIT)
    assert in_wit.tzinfo == ZoneInfo(WIT) and in_wit.utcoffset() == timedelta(hours=9)
    assert calendar(WITA).add_working_days(start, 1) == end_of("2026-01-13", WITA)


def test_utc_start_just_after_midnight_wib_on_new_year() -> None:
    start = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 WIB on 1 January 2027
    assert calendar().add_working_days(start, 1) == end_of("2027-01-05")


def test_holidays_of_another_year_are_only_what_is_loaded() -> None:
    bare = WorkingCalendar(HOLIDAYS_2026, WIB)  # 1 Jan 2027 not loaded: a working day
    assert bare.add_working_days(local("2026-12-31T10:00"), 1) == end_of("2027-01-01")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-09T10:00", "2026-01-12T09:00", 1),
        ("2026-01-09T10:00", "2026-01-09T18:00", 0),
        ("2026-01-09T10:00", "2026-01-11T18:00", 0),
        ("2026-01-10T10:00", "2026-01-11T18:00", 0),  # both on the weekend
        ("2026-01-10T10:00", "2026-01-13T18:00", 1),  # received Monday, Tuesday elapsed
        ("2026-03-17T10:00", "2026-03-31T10:00", 5),
        ("2026-12-30T10:00", "2027-01-04T10:00", 2),
        ("2026-01-12T09:00", "2026-01-09T10:00", -1),  # end before start
        ("2026-01-11T18:00", "2026-01-10T10:00", 0),
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert calendar().working_days_between(local(start), local(end)) == expected


def test_between_uses_local_days() -> None:
    start = datetime(2026, 1, 9, 1, 0, tzinfo=UTC)
    end = datetime(2026, 1, 12, 16, 30, tzinfo=UTC)  # Monday 23:30 WIB, Tuesday 01:30 WIT
    assert calendar(WIB).working_days_between(start, end) == 1
    assert calendar(WIT).working_days_between(start, end) == 2


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.add_working_days(datetime(2026, 1, 9, 10), 1), "start"),
        (lambda c: c.add_working_days(date(2026, 1, 9), 1), "start"),
        (lambda c: c.add_working_days(local("2026-01-09T10:00"), -1), "days"),
        (lambda c: c.add_working_days(local("2026-01-09T10:00"), True), "days"),
        (lambda c: c.add_working_days(local("2026-01-09T10:00"), 1.0), "days"),
        (lambda c: c.working_days_between(local("2026-01-09T10:00"), datetime(2026, 1, 9)), "end"),
        (
            lambda c: c.working_days_between(datetime(2026, 1, 9), local("2026-01-09T10:00")),
            "start",
        ),
        (lambda c: c.is_working_day(datetime(2026, 1, 9, 10, tzinfo=UTC)), "day"),
        (lambda c: c.is_working_day("2026-01-09"), "day"),
    ],
)
def test_invalid_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(InputError) as excinfo:
        call(calendar())  # type: ignore[operator]
    assert excinfo.value.field == field


@pytest.mark.parametrize("tz", ["WIB", "Asia/Atlantis", "", "../etc/passwd"])
def test_unknown_time_zone(tz: str) -> None:
    with pytest.raises(InputError, match=r"^tz: unknown IANA time zone"):
        WorkingCalendar([], tz)


def test_holidays_must_be_dates() -> None:
    with pytest.raises(InputError, match=r"^holidays: "):
        WorkingCalendar(["2026-01-01"], WIB)  # type: ignore[list-item]


def test_parse_holidays_csv_errors() -> None:
    assert parse_holidays_csv("date\n2026-08-17\n") == [date(2026, 8, 17)]
    with pytest.raises(InputError, match=r"^holidays: the CSV needs a 'date' column"):
        parse_holidays_csv("tanggal,nama\n2026-08-17,HUT RI\n")
    with pytest.raises(InputError, match=r"^holidays: "):
        parse_holidays_csv("")
    with pytest.raises(InputError, match=r"^holidays line 3: not a date: '17-08-2026'"):
        parse_holidays_csv("date,name\n2026-01-01,Tahun Baru\n17-08-2026,HUT RI\n")


starts = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(UTC)
)


@given(starts, st.integers(min_value=0, max_value=60), st.sampled_from([WIB, WITA, WIT]))
def test_property_deadline_is_a_working_day_end_and_round_trips(
    start: datetime, days: int, tz: str
) -> None:
    cal = calendar(tz)
    deadline = cal.add_working_days(start, days)
    assert deadline > start
    assert cal.is_working_day(deadline.date())
    assert (deadline.hour, deadline.minute, deadline.second) == (23, 59, 59)
    assert cal.working_days_between(start, deadline) == days
    assert cal.working_days_between(deadline, start) == -days or days == 0


@given(starts, st.integers(min_value=0, max_value=30))
def test_property_more_days_never_earlier(start: datetime, days: int) -> None:
    cal = calendar()
    assert cal.add_working_days(start, days) < cal.add_working_days(start, days + 1)
