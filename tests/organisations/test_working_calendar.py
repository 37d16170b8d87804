"""The DB calendar feeds mutu.indices.calendar: national days, cuti bersama, regional days, tz."""

from datetime import UTC, date, datetime

import pytest

from mutu.organisations.imports import holidays_load_national
from mutu.organisations.models import Holiday, Region
from mutu.organisations.selectors import working_calendar
from tests.factories import PemdaFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_calendar_of_a_wit_pemda_skips_idul_fitri_and_its_own_day():
    holidays_load_national(year=2026)
    papua = PemdaFactory(
        region=RegionFactory(code="94.04", name="Kabupaten Mimika", timezone="Asia/Jayapura")
    )
    other = PemdaFactory(
        region=RegionFactory(code="64.09", name="Kabupaten PPU", level=Region.Level.KABUPATEN)
    )
    Holiday.objects.create(
        date=date(2026, 3, 25), name="HUT Kabupaten", kind="libur_daerah", pemda=papua
    )
    Holiday.objects.create(
        date=date(2026, 3, 26), name="HUT lain", kind="libur_daerah", pemda=other
    )
    calendar = working_calendar(papua)
    # Thu 19 March 2026, 10:00 WIT is Nyepi; 20-24 March are Idul Fitri and cuti bersama and
    # 25 March is Mimika's own day: received Thu 26, then Fri 27, Mon 30, Tue 31 March.
    start = datetime(2026, 3, 19, 1, 0, tzinfo=UTC)
    deadline = calendar.add_working_days(start, 3)
    assert deadline.date() == date(2026, 3, 31)
    assert deadline.utcoffset().total_seconds() == 9 * 3600
    assert not calendar.is_working_day(date(2026, 3, 20))  # cuti bersama
    assert calendar.is_working_day(date(2026, 3, 26))  # another Pemda's day counts as work
