"""A Pemda admin signs in, finds a unit, adds a service, imports units; axe checks every page."""

import re

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.organisations.models import Region, Service, Unit
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "sandi-uji-123"


@pytest.fixture
def admin_world():
    kaltim = RegionFactory(code="64", name="Kalimantan Timur", level=Region.Level.PROVINSI)
    pemda = PemdaFactory(
        region=RegionFactory(code="64.09", parent=kaltim, name="Kabupaten Penajam Paser Utara")
    )
    dinkes = UnitFactory(pemda=pemda, name="Dinas Kesehatan", short_name="Dinkes")
    UnitFactory(pemda=pemda, name="UPT Puskesmas Waru", kind="puskesmas", parent=dinkes)
    admin = member(Role.PEMDA_ADMIN, pemda=pemda)
    return {"pemda": pemda, "dinkes": dinkes, "admin": admin}


def _login(page, base, email):
    page.goto(base + reverse("login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor/$"))


def test_public_and_login_pages_work_on_a_phone(live_server, phone, assert_accessible):
    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "id"
    assert_accessible(phone)
    # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name="Buka menu").click()
    phone.get_by_role("navigation").get_by_role("link", name="Masuk").click()
    phone.wait_for_url(re.compile(r"/akun/masuk/"))
    assert_accessible(phone)


def test_admin_adds_a_service_to_a_unit(live_server, page, admin_world, assert_accessible):
    _login(page, live_server.url, admin_world["admin"].email)
    assert_accessible(page)
    page.get_by_role("link", name="Unit & layanan").first.click()
    page.wait_for_url(re.compile(r"/unit/"))
    assert_accessible(page)
    page.get_by_role("link", name="Dinas Kesehatan").click()
    assert page.get_by_role("heading", name="Dinas Kesehatan").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tambah layanan").click()
    page.get_by_label("Nama layanan").fill("Rekomendasi izin klinik")
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(rf"/unit/{admin_world['dinkes'].pk}/$"))
    assert page.get_by_role("link", name="Ubah Rekomendasi izin klinik").is_visible()
    assert page.get_by_text("Layanan ditambahkan.").is_visible()
    assert Service.objects.filter(
        unit=admin_world["dinkes"], name="Rekomendasi izin klinik"
    ).exists()


def test_import_reports_bad_lines_and_writes_nothing(
    live_server, page, admin_world, tmp_path, assert_accessible
):
    csv_file = tmp_path / "unit.csv"
    csv_file.write_text(
        "nama_unit,jenis,unit_induk\n"
        "UPT Puskesmas Sotek,puskesmas,Dinas Kesehatan\n"
        "Dinas Entah,bukan-jenis,\n",
        encoding="utf-8",
    )
    _login(page, live_server.url, admin_world["admin"].email)
    page.goto(
        live_server.url + reverse("organisations:import", args=[admin_world["pemda"].pk, "unit"])
    )
    page.get_by_label("Berkas XLSX atau CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Impor").click()
    row = page.get_by_role("row").filter(has_text="bukan-jenis")
    assert row.get_by_role("cell").first.inner_text().strip() == "3"
    assert "Tidak ada yang disimpan" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    assert not Unit.objects.filter(name="UPT Puskesmas Sotek").exists()


def test_language_switch_to_english(live_server, page, admin_world):
    _login(page, live_server.url, admin_world["admin"].email)
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
