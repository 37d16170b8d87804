"""Issue 12 item 2, end to end: mutu started the way `make run` starts it (migrate, regions,
demo data, then the launcher with the worker) on a fresh SQLite database; an officer asks for
the Laporan SKM and the XLSX tabulation at once, and both become downloadable with no second
command. Ctrl+C then stops the web server and the worker."""

import re
import signal
import sqlite3

import pytest

from tests.launcher import app_env, free_port, group_alive, launch, manage

pytestmark = pytest.mark.e2e
ADMIN, PASSWORD = "admin@demo.mutu.id", "demo-mutu-2026"  # printed by `make run`
BUILD_TIMEOUT_MS = 240_000  # WeasyPrint on a busy two-core machine


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("make-run")
    env = app_env(tmp)
    for step in (["migrate", "--noinput"], ["import_regions"], ["seed_demo"]):
        manage(env, *step)
    launched = launch(env, tmp, free_port())
    try:
        launched.wait_ready()
        yield launched, tmp
    finally:
        launched.stop()


def _open_disdukcapil(tmp):
    """The demo's Disdukcapil in its open period, read from the app's own database."""
    with sqlite3.connect(tmp / "db.sqlite3") as db:
        return db.execute(
            "SELECT pu.period_id, pu.unit_id FROM surveys_periodunit pu"
            " JOIN surveys_surveyperiod p ON p.id = pu.period_id"
            " JOIN organisations_unit u ON u.id = pu.unit_id"
            " WHERE u.short_name = 'Disdukcapil' AND p.status = 'open'"
        ).fetchone()


def _request_and_download(page, button, link, tmp):
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/laporan/\d+/$"))
    download_link = page.get_by_role("link", name=link)
    download_link.wait_for(timeout=BUILD_TIMEOUT_MS)  # the page reloads itself every 3 s
    assert page.locator("#worker-missing").count() == 0
    with page.expect_download() as download:
        download_link.click()
    target = tmp / download.value.suggested_filename
    download.value.save_as(target)
    return target.read_bytes()


def test_a_report_generated_right_after_make_run(app, page):
    launched, tmp = app
    period_id, unit_id = _open_disdukcapil(tmp)
    page.goto(launched.url + "/akun/masuk/")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor/$"))
    unit_page = f"{launched.url}/survei/periode/{period_id}/unit/{unit_id}/"

    page.goto(unit_page)
    pdf = _request_and_download(page, "Laporan SKM (PDF)", "Unduh PDF", tmp)
    assert pdf.startswith(b"%PDF")

    page.goto(unit_page)
    xlsx = _request_and_download(page, "Tabulasi XLSX", "Unduh XLSX", tmp)
    assert xlsx.startswith(b"PK")  # a zip: the XLSX workbook

    # Ctrl+C: the launcher stops both, runserver's and db_worker's reload children included.
    launched.process.send_signal(signal.SIGINT)
    assert launched.process.wait(timeout=60) == 0
    assert not group_alive(launched.worker_pid) and not group_alive(launched.web_pid)
