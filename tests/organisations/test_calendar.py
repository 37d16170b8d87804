"""The holiday calendar: national days from the `holidays` package, Pemda days, views, command."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.organisations import services
from mutu.organisations.imports import holidays_load_national
from mutu.organisations.models import Holiday
from tests.factories import PemdaFactory, UserFactory, member

NAS, CB, DAERAH = "libur_nasional", "cuti_bersama", "libur_daerah"

# SKB 3 Menteri 1497/2/5 Tahun 2025 (tests/indices/holidays_2026.csv): 17 libur nasional + 8
# cuti bersama.
HOLIDAYS_2026 = {
    date(2026, 1, 1): NAS,  # Tahun Baru 2026 Masehi
    date(2026, 1, 16): NAS,  # Isra Mikraj Nabi Muhammad SAW
    date(2026, 2, 16): CB,  # Tahun Baru Imlek 2577 Kongzili
    date(2026, 2, 17): NAS,  # Tahun Baru Imlek 2577 Kongzili
    date(2026, 3, 18): CB,  # Hari Suci Nyepi (Tahun Baru Saka 1948)
    date(2026, 3, 19): NAS,  # Hari Suci Nyepi (Tahun Baru Saka 1948)
    date(2026, 3, 20): CB,  # Idul Fitri 1447 H
    date(2026, 3, 21): NAS,  # Idul Fitri 1447 H
    date(2026, 3, 22): NAS,  # Idul Fitri 1447 H
    date(2026, 3, 23): CB,  # Idul Fitri 1447 H
    date(2026, 3, 24): CB,  # Idul Fitri 1447 H
    date(2026, 4, 3): NAS,  # Wafat Yesus Kristus
    date(2026, 4, 5): NAS,  # Kebangkitan Yesus Kristus (Paskah)
    date(2026, 5, 1): NAS,  # Hari Buruh Internasional
    date(2026, 5, 14): NAS,  # Kenaikan Yesus Kristus
    date(2026, 5, 15): CB,  # Kenaikan Yesus Kristus
    date(2026, 5, 27): NAS,  # Idul Adha 1447 H
    date(2026, 5, 28): CB,  # Idul Adha 1447 H
    date(2026, 5, 31): NAS,  # Hari Raya Waisak 2570 BE
    date(2026, 6, 1): NAS,  # Hari Lahir Pancasila
    date(2026, 6, 16): NAS,  # Tahun Baru Islam 1448 H
    date(2026, 8, 17): NAS,  # Hari Proklamasi Kemerdekaan RI
    date(2026, 8, 25): NAS,  # Maulid Nabi Muhammad SAW
    date(2026, 12, 24): CB,  # Kelahiran Yesus Kristus
    date(2026, 12, 25): NAS,  # Kelahiran Yesus Kristus
}


def national_days() -> dict[date, str]:
    return dict(Holiday.objects.filter(pemda=None).values_list("date", "kind"))


# --- loading the national days ---------------------------------------------------------------


def test_load_national_2026_matches_the_skb(db):
    added = holidays_load_national(year=2026)

    assert added == 25
    assert national_days() == HOLIDAYS_2026
    assert Holiday.objects.filter(pemda=None, kind=CB).count() == 8
    assert Holiday.objects.filter(pemda=None, kind=NAS).count() == 17
    assert not Holiday.objects.filter(pemda__isnull=False).exists()
    assert all(name for name in Holiday.objects.values_list("name", flat=True))
    event = DomainEvent.objects.get(verb="holiday.loaded")
    assert (event.actor, event.pemda, event.data) == (None, None, {"year": 2026, "added": 25})


def test_load_national_twice_adds_nothing(db):
    holidays_load_national(year=2026)
    first = list(Holiday.objects.values_list("pk", "date", "name", "kind"))

    assert holidays_load_national(year=2026) == 0

    assert list(Holiday.objects.values_list("pk", "date", "name", "kind")) == first
    assert DomainEvent.objects.filter(verb="holiday.loaded").count() == 1


def test_load_national_only_touches_its_year(db):
    holidays_load_national(year=2026)
    added = holidays_load_national(year=2027)

    days = national_days()
    assert added == len([d for d in days if d.year == 2027]) > 15
    assert {d: kind for d, kind in days.items() if d.year == 2026} == HOLIDAYS_2026
    assert {d.year for d in days} == {2026, 2027}


def test_a_day_corrected_by_an_admin_is_kept_on_reload(db):
    holidays_load_national(year=2026)
    root = UserFactory(is_superuser=True)
    day = Holiday.objects.get(pemda=None, date=date(2026, 3, 21))
    services.holiday_save(
        actor=root,
        pemda=None,
        day=day.date,
        name="Idul Fitri 1447 H (hasil sidang isbat)",
        kind=CB,
        holiday=day,
    )

    assert holidays_load_national(year=2026) == 0

    day.refresh_from_db()
    assert (day.name, day.kind) == ("Idul Fitri 1447 H (hasil sidang isbat)", CB)
    assert Holiday.objects.filter(pemda=None).count() == 25


def test_a_day_moved_by_an_admin_is_not_put_back_on_reload(db):
    # Islamic dates can move after the sidang isbat. When the admin moves Idul Adha from the
    # 27th to the 26th, the yearly reload must not bring the 27th back as a second holiday.
    holidays_load_national(year=2026)
    root = UserFactory(is_superuser=True)
    idul_adha = Holiday.objects.get(pemda=None, date=date(2026, 5, 27))
    services.holiday_save(
        actor=root,
        pemda=None,
        day=date(2026, 5, 26),
        name=idul_adha.name,
        kind=NAS,
        holiday=idul_adha,
    )

    holidays_load_national(year=2026)

    days = national_days()
    assert date(2026, 5, 26) in days
    assert date(2026, 5, 27) not in days
    assert len(days) == 25


def test_only_a_platform_admin_changes_a_national_day(db):
    holidays_load_national(year=2026)
    pemda = PemdaFactory()
    admin = member(Role.PEMDA_ADMIN, pemda=pemda)
    day = Holiday.objects.get(pemda=None, date=date(2026, 1, 1))

    with pytest.raises(PermissionDenied):
        services.holiday_save(
            actor=admin, pemda=None, day=day.date, name="X", kind=NAS, holiday=day
        )
    with pytest.raises(PermissionDenied):
        services.holiday_delete(actor=admin, holiday=day)

    day.refresh_from_db()
    assert day.name != "X"
    assert Holiday.objects.filter(pemda=None).count() == 25


# --- views -----------------------------------------------------------------------------------


@pytest.fixture
def cal(db):
    pemda = PemdaFactory()
    other = PemdaFactory()
    national = Holiday.objects.create(
        date=date(2026, 8, 17), name="Hari Proklamasi Kemerdekaan RI", kind=NAS
    )
    own_day = Holiday.objects.create(
        date=date(2026, 4, 10), name="Hari Jadi Kabupaten", kind=DAERAH, pemda=pemda
    )
    other_day = Holiday.objects.create(
        date=date(2026, 7, 3), name="Hari Jadi Kota Lain", kind=DAERAH, pemda=other
    )
    return {
        "pemda": pemda,
        "other": other,
        "admin": member(Role.PEMDA_ADMIN, pemda=pemda),
        "other_admin": member(Role.PEMDA_ADMIN, pemda=other),
        "national": national,
        "own_day": own_day,
        "other_day": other_day,
    }


def _list_url(pemda, year=2026):
    return f"{reverse('organisations:holiday_list')}?pemda={pemda.pk}&tahun={year}"


def test_admin_lists_national_and_own_days(client, cal):
    client.force_login(cal["admin"])

    response = client.get(_list_url(cal["pemda"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Hari Proklamasi Kemerdekaan RI" in page
    assert "Hari Jadi Kabupaten" in page
    assert "Hari Jadi Kota Lain" not in page
    assert [h.pk for h in response.context["holidays"]] == [
        cal["own_day"].pk,
        cal["national"].pk,
    ]
    # Only the Pemda's own day offers edit/delete to a Pemda admin.
    assert reverse("organisations:holiday_edit", args=[cal["own_day"].pk]) in page
    assert reverse("organisations:holiday_edit", args=[cal["national"].pk]) not in page
    assert reverse("organisations:holiday_delete", args=[cal["national"].pk]) not in page


def test_list_of_another_year_is_empty(client, cal):
    client.force_login(cal["admin"])
    response = client.get(_list_url(cal["pemda"], 2025))
    assert list(response.context["holidays"]) == []


def test_admin_adds_a_libur_daerah(client, cal):
    client.force_login(cal["admin"])

    response = client.post(
        reverse("organisations:holiday_create"),
        {
            "pemda": cal["pemda"].pk,
            "date": "2026-09-15",
            "name": "Hari Jadi Provinsi",
            "kind": DAERAH,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _list_url(cal["pemda"])
    day = Holiday.objects.get(date=date(2026, 9, 15))
    assert (day.pemda, day.name, day.kind) == (cal["pemda"], "Hari Jadi Provinsi", DAERAH)
    event = DomainEvent.objects.get(verb="holiday.saved")
    assert (event.actor, event.pemda, event.object_id) == (
        cal["admin"],
        cal["pemda"],
        str(day.pk),
    )
    assert event.data == {"before": None, "date": "2026-09-15", "name": "Hari Jadi Provinsi"}


def test_admin_cannot_add_two_days_on_one_date(client, cal):
    client.force_login(cal["admin"])

    response = client.post(
        reverse("organisations:holiday_create"),
        {"pemda": cal["pemda"].pk, "date": "2026-04-10", "name": "Dobel", "kind": DAERAH},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Holiday.objects.filter(pemda=cal["pemda"]).count() == 1
    assert not DomainEvent.objects.exists()


def test_admin_edits_own_day(client, cal):
    client.force_login(cal["admin"])
    day = cal["own_day"]

    response = client.post(
        reverse("organisations:holiday_edit", args=[day.pk]),
        {"pemda": cal["pemda"].pk, "date": "2026-04-11", "name": "Hari Jadi ke-24", "kind": DAERAH},
    )

    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.date, day.name, day.pemda) == (date(2026, 4, 11), "Hari Jadi ke-24", cal["pemda"])
    event = DomainEvent.objects.get(verb="holiday.saved")
    assert (event.actor, event.pemda) == (cal["admin"], cal["pemda"])
    assert event.data["before"] == {"date": "2026-04-10", "name": "Hari Jadi Kabupaten"}


def test_admin_deletes_own_day(client, cal):
    client.force_login(cal["admin"])
    day = cal["own_day"]
    url = reverse("organisations:holiday_delete", args=[day.pk])

    assert client.get(url, {"pemda": cal["pemda"].pk}).status_code == 405
    response = client.post(url, {"pemda": cal["pemda"].pk})

    assert response.status_code == 302
    assert response["Location"] == _list_url(cal["pemda"])
    assert not Holiday.objects.filter(pk=day.pk).exists()
    event = DomainEvent.objects.get(verb="holiday.deleted")
    assert (event.actor, event.pemda, event.object_id) == (cal["admin"], cal["pemda"], str(day.pk))
    assert event.data == {"date": "2026-04-10", "name": "Hari Jadi Kabupaten"}


def test_admin_imports_a_csv(client, cal):
    client.force_login(cal["admin"])
    upload = SimpleUploadedFile(
        "libur.csv",
        b"date,kind,name\n2026-04-10,libur_daerah,Hari Jadi Kabupaten ke-24\n"
        b"2026-10-05,libur_daerah,Festival Budaya\n",
    )

    response = client.post(
        reverse("organisations:holiday_import"), {"pemda": cal["pemda"].pk, "file": upload}
    )

    assert response.status_code == 200
    assert "2 baris diimpor." in response.content.decode()
    assert dict(Holiday.objects.filter(pemda=cal["pemda"]).values_list("date", "name")) == {
        date(2026, 4, 10): "Hari Jadi Kabupaten ke-24",  # corrected, not duplicated
        date(2026, 10, 5): "Festival Budaya",
    }
    events = DomainEvent.objects.filter(verb="holiday.saved")
    assert events.count() == 2
    assert set(events.values_list("actor", "pemda")) == {(cal["admin"].pk, cal["pemda"].pk)}


def test_holiday_import_with_a_bad_row_writes_nothing(client, cal):
    client.force_login(cal["admin"])
    upload = SimpleUploadedFile(
        "libur.csv",
        b"date,kind,name\n2026-10-05,libur_daerah,Festival Budaya\n2026-13-01,libur_daerah,X\n",
    )

    response = client.post(
        reverse("organisations:holiday_import"), {"pemda": cal["pemda"].pk, "file": upload}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada yang disimpan" in page
    assert "<tr><td>3</td>" in page
    assert Holiday.objects.filter(pemda=cal["pemda"]).count() == 1
    assert not DomainEvent.objects.exists()


def test_pemda_admin_cannot_edit_or_delete_a_national_day(client, cal):
    client.force_login(cal["admin"])
    national = cal["national"]

    edit = client.post(
        reverse("organisations:holiday_edit", args=[national.pk]),
        {"pemda": cal["pemda"].pk, "date": "2026-08-18", "name": "Diubah", "kind": NAS},
    )
    delete = client.post(
        reverse("organisations:holiday_delete", args=[national.pk]), {"pemda": cal["pemda"].pk}
    )

    assert (edit.status_code, delete.status_code) == (403, 403)
    national.refresh_from_db()
    assert (national.date, national.name, national.pemda) == (
        date(2026, 8, 17),
        "Hari Proklamasi Kemerdekaan RI",
        None,
    )
    assert not DomainEvent.objects.exists()


def test_pemda_admin_cannot_import_into_another_pemda(client, cal):
    client.force_login(cal["other_admin"])
    upload = SimpleUploadedFile("libur.csv", b"date,kind,name\n2026-10-05,libur_daerah,X\n")

    response = client.post(
        reverse("organisations:holiday_import"), {"pemda": cal["pemda"].pk, "file": upload}
    )

    assert response.status_code == 403
    assert Holiday.objects.filter(pemda=cal["pemda"]).count() == 1


@pytest.mark.parametrize("via", ["own-pemda", "victim-pemda"])
def test_another_pemdas_admin_cannot_touch_a_day(client, cal, via):
    client.force_login(cal["other_admin"])
    day = cal["own_day"]
    pemda = cal["other"] if via == "own-pemda" else cal["pemda"]

    edit = client.post(
        reverse("organisations:holiday_edit", args=[day.pk]),
        {"pemda": pemda.pk, "date": "2026-04-12", "name": "Dibajak", "kind": DAERAH},
    )
    delete = client.post(
        reverse("organisations:holiday_delete", args=[day.pk]), {"pemda": pemda.pk}
    )
    shown = client.get(reverse("organisations:holiday_edit", args=[day.pk]), {"pemda": pemda.pk})

    assert edit.status_code in (403, 404)
    assert delete.status_code in (403, 404)
    assert shown.status_code in (403, 404)
    day.refresh_from_db()
    assert (day.date, day.name) == (date(2026, 4, 10), "Hari Jadi Kabupaten")
    assert not DomainEvent.objects.exists()


def test_platform_admin_corrects_a_national_day(client, cal):
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    national = cal["national"]

    listing = client.get(_list_url(cal["pemda"]))
    assert reverse("organisations:holiday_edit", args=[national.pk]) in listing.content.decode()
    response = client.post(
        reverse("organisations:holiday_edit", args=[national.pk]),
        {"pemda": cal["pemda"].pk, "date": "2026-08-17", "name": "HUT RI ke-81", "kind": NAS},
    )

    assert response.status_code == 302
    national.refresh_from_db()
    assert (national.name, national.pemda) == ("HUT RI ke-81", None)
    event = DomainEvent.objects.get(verb="holiday.saved")
    assert (event.actor, event.pemda) == (root, None)


def test_unit_operator_has_no_calendar(client, cal):
    from tests.factories import UnitFactory

    operator = member(Role.UNIT_OPERATOR, unit=UnitFactory(pemda=cal["pemda"]))
    client.force_login(operator)

    response = client.post(
        reverse("organisations:holiday_create"),
        {"pemda": cal["pemda"].pk, "date": "2026-09-15", "name": "X", "kind": DAERAH},
    )

    assert response.status_code == 403
    assert not Holiday.objects.filter(date=date(2026, 9, 15)).exists()


# --- management command ----------------------------------------------------------------------


def test_load_holidays_command_for_a_year(db):
    out = StringIO()
    call_command("load_holidays", "--year", "2026", stdout=out)
    call_command("load_holidays", "--year", "2026", stdout=out)

    assert out.getvalue().splitlines() == ["2026: 25 hari libur baru.", "2026: 0 hari libur baru."]
    assert national_days() == HOLIDAYS_2026


def test_load_holidays_command_from_csv(db, tmp_path):
    Holiday.objects.create(date=date(2026, 3, 21), name="Idul Fitri (perkiraan)", kind=CB)
    path = tmp_path / "libur.csv"
    path.write_text(
        "date,kind,name\n2026-03-21,libur_nasional,Idul Fitri 1447 H\n"
        "2026-03-22,libur_nasional,Idul Fitri 1447 H\n",
        encoding="utf-8",
    )
    out = StringIO()

    call_command("load_holidays", "--csv", str(path), stdout=out)

    assert "2 hari libur diimpor." in out.getvalue()
    assert national_days() == {date(2026, 3, 21): NAS, date(2026, 3, 22): NAS}
    assert Holiday.objects.get(date=date(2026, 3, 21)).name == "Idul Fitri 1447 H"


def test_load_holidays_command_with_a_bad_row_writes_nothing(db, tmp_path):
    path = tmp_path / "libur.csv"
    path.write_text(
        "date,kind,name\n2026-03-21,libur_nasional,Idul Fitri 1447 H\n"
        "2026-03-22,libur_lebaran,Idul Fitri 1447 H\n",
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError, match="Tidak ada yang diimpor"):
        call_command("load_holidays", "--csv", str(path), stderr=err)

    assert err.getvalue().startswith("baris 3: kind: ")
    assert not Holiday.objects.exists()
    assert not DomainEvent.objects.exists()


def test_load_holidays_command_with_an_unreadable_file(db, tmp_path):
    path = tmp_path / "libur.csv"
    path.write_bytes("date,kind,name\n2026-08-17,libur_nasional,Proklamasi é\n".encode("cp1252"))

    with pytest.raises(CommandError, match="UTF-8"):
        call_command("load_holidays", "--csv", str(path))

    assert not Holiday.objects.exists()


def test_pemda_admin_cannot_open_the_form_of_a_national_day(client, db):
    holidays_load_national(year=2026)
    pemda = PemdaFactory()
    national = Holiday.objects.get(date="2026-12-25")
    client.force_login(member(Role.PEMDA_ADMIN, pemda=pemda))
    url = reverse("organisations:holiday_edit", args=[national.pk]) + f"?pemda={pemda.pk}"
    assert client.get(url).status_code == 403
