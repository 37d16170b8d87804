"""No staff page answers 5xx to junk in its query string (issue 11, item 10).

Generated, not hand-listed: every named GET route of the URL resolver (the admin's included)
is opened as a platform admin and as a Pemda admin, with path parameters filled from a small
world whose objects all share one id, and each query parameter a view reads (found in the
source, plus a fixed set) given junk values: a word, a negative, a number too big for any
column, nothing, a NUL byte, a very long text, a value given twice. A new page or a new
parameter is covered without touching this file.
"""

import itertools
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Holiday, Pemda, Service, Unit
from mutu.organisations.services import unit_save_path
from mutu.reports.models import ReportJob
from mutu.surveys.models import (
    Answer,
    FkpRecord,
    KioskDevice,
    PeriodUnit,
    Response,
    RtlItem,
    SurveyLink,
    SurveyPeriod,
)
from tests.factories import RegionFactory, UserFactory, member
from tests.shared_world import built_once, fresh_copy

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # 300-odd generated cases

# Every object of the world has this id, so any <int:…> path parameter finds one. It is far
# past where the id sequences start (tests/conftest.py): PostgreSQL does not move a sequence
# for an explicit id, and a row the view creates must not take the same one.
ID = 7_000_001
TOKEN = "junk-world-token"
SOURCE = Path(__file__).resolve().parents[2] / "mutu"

JUNK = [
    "abc",
    "-5",
    "99999999999",
    "99999999999999999999999999",
    "",
    "a\x00b",
    "\x00",
    "9" * 5000,
    "1e9",
    "٣",  # an Arabic-Indic digit: str.isdigit() says yes, int() on a date says no
]

# Names a view may read besides those found in the source: the filter forms' fields and the
# admin's own (page, ordering, search, popup, "error" flag).
KNOWN_PARAMS = {
    "pemda",
    "tahun",
    "page",
    "q",
    "kind",
    "tanda",
    "ukuran",
    "ganda",
    "terima",
    "qr",
    "lang",
    "verb",
    "actor",
    "date_from",
    "date_to",
    "status",
    "unit",
    "period",
    "next",
    "p",
    "o",
    "e",
    "all",
    "_popup",
    "_changelist_filters",
    "_to_field",
}

# request.GET.get("x"), request.GET["x"], query_params.getlist("x"), int_param(request.GET, "x"
READS = re.compile(
    r"""(?:GET|query_params)(?:\.get|\.getlist|\[)\(?\s*["']([\w-]+)["']"""
    r"""|_param\(\s*request\.GET,\s*["']([\w-]+)["']"""
)


def params_read_in_source() -> set[str]:
    names = set()
    for path in SOURCE.rglob("*.py"):
        for match in READS.findall(path.read_text(encoding="utf-8")):
            names |= {name for name in match if name}
    return names


def test_the_source_scan_finds_the_parameters_views_read():
    found = params_read_in_source()
    assert {"pemda", "tahun", "tanda", "ukuran", "lang"} <= found


def _routes(resolvers, prefix="", params=()):
    """(namespaced name, path parameter names) of every named route."""
    for entry in resolvers:
        names = tuple(_param_names(entry.pattern))
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _routes(entry.url_patterns, namespace, params + names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", params + names


def _param_names(pattern):
    converters = getattr(pattern, "converters", None)
    if converters is not None and not hasattr(pattern, "regex_dict"):
        return list(converters)
    return list(pattern.regex.groupindex)


def _candidates(name):
    if name in ("token", "uidb64"):
        return [TOKEN]
    if name == "kind":
        return ["unit", "libur"]
    if name == "app_label":
        return sorted(config.label for config in apps.get_app_configs())
    if name == "content_type_id":
        return ["1"]
    return [str(ID), "x"]


def staff_get_urls():
    urls = {}
    for name, params in _routes(get_resolver().url_patterns):
        if name in urls:
            continue
        for values in itertools.product(*(_candidates(p) for p in params)):
            try:
                urls[name] = reverse(name, kwargs=dict(zip(params, values, strict=True)))
                break
            except NoReverseMatch:
                continue
    return sorted(urls.items())


URLS = staff_get_urls()
PARAMS = sorted(KNOWN_PARAMS | params_read_in_source())


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    # Built once for the module's 300-odd cases; each case rolls its own writes back.
    with built_once(django_db_blocker, _build_world) as world:
        yield world


@pytest.fixture
def world(_world, db):
    return fresh_copy(_world)


@pytest.fixture(autouse=True)
def _each_pdf_rendered_once(monkeypatch):
    """WeasyPrint renders a given page once: a PDF view answers the same page to most junk
    queries, and rendering it again (a second or more) would find nothing the first did not.
    A junk value that changes the page still gets its own rendering."""
    import weasyprint

    real = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda **page: _RenderedOnce(real, page))


_RENDERED: dict[str, bytes] = {}


class _RenderedOnce:
    def __init__(self, real, page):
        self._real, self._page = real, page

    def write_pdf(self, **options):
        key = repr((sorted(self._page.items()), sorted(options.items())))
        if key not in _RENDERED:
            _RENDERED[key] = self._real(**self._page).write_pdf(**options)
        return _RENDERED[key]


def _build_world():
    region = RegionFactory()
    pemda = Pemda.objects.create(pk=ID, region=region, name="Pemerintah Dunia Uji")
    unit = Unit.objects.create(pk=ID, pemda=pemda, name="Dinas Uji", kind=Unit.Kind.DINAS)
    unit_save_path(unit)
    service = Service.objects.create(pk=ID, unit=unit, name="Layanan Uji")
    period = SurveyPeriod.objects.create(
        pk=ID,
        pemda=pemda,
        name="Semester Uji",
        starts_on=date(2000, 1, 1),
        ends_on=date(2999, 12, 31),
        status=SurveyPeriod.Status.OPEN,
    )
    PeriodUnit.objects.create(pk=ID, period=period, unit=unit)
    SurveyLink.objects.create(pk=ID, unit=unit, service=service, token=TOKEN)
    KioskDevice.objects.create(pk=ID, unit=unit, name="Tablet")
    RtlItem.objects.create(
        pk=ID, period=period, unit=unit, unsur="waktu", program="P", schedule="S", responsible="R"
    )
    FkpRecord.objects.create(
        pk=ID,
        period=period,
        unit=unit,
        held_on=date(2026, 1, 5),
        participants="a",
        agreed_actions="b",
    )
    Holiday.objects.create(pk=ID, pemda=pemda, date=date(2026, 8, 17), name="Uji", kind="cuti")
    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(pk=ID, user=admin, name="Uji", confirmed=False)
    ReportJob.objects.create(pk=ID, kind="skm_unit_pdf", pemda=pemda, requested_by=admin)
    response = Response.objects.create(
        pk=ID, period=period, unit=unit, channel=Response.Channel.WEB, submitted_at=timezone.now()
    )
    Answer.objects.bulk_create(
        Answer(response=response, period=period, unit=unit, unsur=code, value=3)
        for code in UNSUR_CODES
    )
    return {"superuser": admin, "pemda_admin": member(Role.PEMDA_ADMIN, pemda=pemda)}


def _queries():
    """One query string per junk value with every parameter set to it, and one with every
    parameter given twice (list style)."""
    for value in JUNK:
        yield urlencode(dict.fromkeys(PARAMS, value))
    yield urlencode([(name, value) for name in PARAMS for value in ("1", "abc")])


# The admin site as the platform admin only (a Pemda admin is not staff: it sends them to
# the sign-in page); mutu's own pages as both.
CASES = [
    (who, name, url)
    for name, url in URLS
    for who in ("superuser", "pemda_admin")
    if who == "superuser" or not name.startswith("admin:")
]


@pytest.mark.parametrize(("who", "name", "url"), CASES, ids=[f"{n}-{w}" for w, n, _u in CASES])
def test_junk_query_values_never_give_a_server_error(client, world, who, name, url):
    client.force_login(world[who])
    client.raise_request_exception = False
    for query in _queries():
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (name, query[:200], response.status_code)


@pytest.mark.parametrize("name", ["pemda", "tahun"])
def test_each_parameter_alone_on_the_pages_that_read_it(client, world, name):
    client.force_login(world["pemda_admin"])
    client.raise_request_exception = False
    for url, value in itertools.product(
        [reverse("organisations:holiday_list"), reverse("organisations:holiday_create")], JUNK
    ):
        response = client.get(f"{url}?{urlencode({name: value})}")
        assert response.status_code < 500, (url, name, value)


# --- POSTs ---------------------------------------------------------------------------------------

POST_READS = re.compile(r"""POST(?:\.get|\.getlist|\[)\(?\s*["']([\w-]+)["']""")
KNOWN_POST_FIELDS = {"action", "status", "reason", "response", "revoke", "name", "question"}


def post_fields_read_in_source() -> list[str]:
    names = set(KNOWN_POST_FIELDS)
    for path in SOURCE.rglob("*.py"):
        names |= set(POST_READS.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


POST_FIELDS = post_fields_read_in_source()
OWN_URLS = [(n, u) for n, u in URLS if not n.startswith(("admin:", "api:", "auth:"))]


@pytest.mark.parametrize(("name", "url"), OWN_URLS, ids=[n for n, _u in OWN_URLS])
def test_junk_post_fields_never_give_a_server_error(client, world, name, url):
    """Every field a view reads straight from request.POST, as a Pemda admin, with each junk
    value, alone and with the actions the views know."""
    client.force_login(world["pemda_admin"])
    client.raise_request_exception = False
    values = ["abc", "99999999999999999999999999", "a\x00b", ""]
    for value, action in itertools.product(values, ["", "add", "retire", "release", "rtl"]):
        data = dict.fromkeys(POST_FIELDS, value) | ({"action": action} if action else {})
        response = client.post(url, data)
        assert response.status_code < 500, (name, value, action, response.status_code)
