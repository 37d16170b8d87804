"""Working-day deadlines (UU 25/2009, PermenPANRB 62/2018) in the Pemda's own time zone.

A working day is Monday–Friday and not a national holiday or cuti bersama. A deadline of n working
days falls at 23:59:59 local time on the n-th working day after the local day of the start; a start
on a non-working day counts as received on the next working day (as incoming letters are).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mutu.indices.errors import InputError

END_OF_DAY = time(23, 59, 59)
_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


class WorkingCalendar:
    """Working days of one Pemda: weekends and the given holidays are off, deadlines are local."""

    def __init__(self, holidays: Iterable[date], tz: str) -> None:
        self.holidays = frozenset(_plain_date(day, "holidays") for day in holidays)
        try:
            self.tz = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError("tz", f"unknown IANA time zone {tz!r}") from None

    def is_working_day(self, day: date) -> bool:
        day = _plain_date(day, "day")
        return day.weekday() < _SATURDAY and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The deadline: 23:59:59 local on the ``days``-th working day after ``start``'s day."""
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InputError("days", f"must be a non-negative integer, got {days!r}")
        day = self._received_day(start, "start")
        for _ in range(days):
            day = self._next_working_day(day + _ONE_DAY)
        return datetime.combine(day, END_OF_DAY, tzinfo=self.tz)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days elapsed from ``start`` to ``end``; negative when ``end`` is earlier.

        Consistent with ``add_working_days``: between(s, add_working_days(s, n)) == n.
        """
        if self._local_day(end, "end") < self._local_day(start, "start"):
            return -self.working_days_between(end, start)
        day, last = self._received_day(start, "start"), self._local_day(end, "end")
        count = 0
        while day < last:
            day += _ONE_DAY
            count += self.is_working_day(day)
        return count

    def _local_day(self, moment: datetime, field: str) -> date:
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            raise InputError(field, f"must be a time-zone-aware datetime, got {moment!r}")
        return moment.astimezone(self.tz).date()

    def _received_day(self, moment: datetime, field: str) -> date:
        return self._next_working_day(self._local_day(moment, field))

    def _next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day


def _plain_date(day: object, field: str) -> date:
    # A datetime is a date subclass; refusing it avoids silently using its UTC or local day.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InputError(field, f"must be a date, got {day!r}")
    return day


def parse_holidays_csv(text: str) -> list[date]:
    """Dates from a holiday list with a ``date`` column (``date,kind,name`` as in SKB 3 Menteri)."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "date" not in reader.fieldnames:
        raise InputError("holidays", "the CSV needs a 'date' column")
    days = []
    for line, row in enumerate(reader, start=2):
        try:
            days.append(date.fromisoformat((row["date"] or "").strip()))
        except ValueError:
            raise InputError(f"holidays line {line}", f"not a date: {row['date']!r}") from None
    return days
