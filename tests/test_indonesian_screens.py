"""Issue 12, items 1 and 7: every main staff and public page, as the demo's people see them in
Indonesian, shows words and not codes or English, greets people by their name, and puts no
localized number ("1.000.001") into a form value, link or data attribute."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from mutu.core.models import User
from mutu.organisations.models import Pemda, Service
from mutu.surveys.models import PeriodUnit, Response, SurveyLink, SurveyPeriod

# Words an Indonesian screen must not show: English UI words, Django's blank choice and the
# codes officers used to see instead of words.
ENGLISH = [
    "Service", "Services", "Select an option", "Select", "Submit", "Save", "Delete", "Edit",
    "Cancel", "Search", "Previous", "Next", "Welcome", "Logout", "Log out", "Download",
    "Upload", "Required", "This field", "Choose", "Currently", "Clear", "Yes",
    "exact", "duplicate", "honeypot", "pow", "late",
]  # fmt: skip
NOT_WORDS = ["---------"]
# 1.000.001 as a localized id; not 0.111, a weighting code
LOCALIZED_NUMBER = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d.])")
MACHINE_ATTRIBUTES = ("value", "href", "action", "src", "for", "id", "name")


class Screen(HTMLParser):
    """What a person reads (text, placeholders, labels) apart from what a machine reads (form
    values, links, ids, data attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []
        self.machine: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if value is None:
                continue
            if name in MACHINE_ATTRIBUTES or name.startswith("data-"):
                self.machine.append(f"{name}={value}")
            elif name in ("placeholder", "title", "aria-label", "alt"):
                self.read.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.read.append(data.strip())


def _english_in(text: str) -> list[str]:
    found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    return found + [w for w in NOT_WORDS if w in text]


@pytest.fixture
def seen(demo):
    """The demo's Disdukcapil in the open semester (the session's seed, tests/conftest.py)."""
    pemda = Pemda.objects.get(is_demo=True, region__code="64.09")
    period = SurveyPeriod.objects.filter(pemda=pemda, status="open").get()
    member = PeriodUnit.objects.filter(period=period, unit__short_name="Disdukcapil").get()
    # Some flags and one quarantined response, as officers meet them.
    responses = list(Response.objects.filter(period=period, unit=member.unit)[:5])
    for response, flag in zip(responses, Response.Flag.values, strict=False):
        Response.objects.filter(pk=response.pk).update(flag=flag, quarantined=flag == "late")
    return {"pemda": pemda, "period": period, "unit": member.unit}


def _staff_pages(w):
    pemda, period, unit = w["pemda"], w["period"], w["unit"]
    service = Service.objects.filter(unit=unit).first()
    per_unit = [period.pk, unit.pk]
    return [
        reverse("core:dashboard"),
        reverse("core:event_list"),
        reverse("core:account_security"),
        reverse("organisations:pemda_list"),
        reverse("organisations:pemda_edit", args=[pemda.pk]),
        reverse("organisations:unit_list") + f"?pemda={pemda.pk}",
        reverse("organisations:unit_detail", args=[unit.pk]),
        reverse("organisations:unit_edit", args=[unit.pk]),
        reverse("organisations:unit_create", args=[pemda.pk]),
        reverse("organisations:service_create", args=[unit.pk]),
        reverse("organisations:service_edit", args=[service.pk]),
        reverse("organisations:member_list", args=[pemda.pk]),
        reverse("organisations:member_add", args=[pemda.pk]),
        reverse("organisations:holiday_list") + f"?pemda={pemda.pk}",
        reverse("organisations:holiday_create") + f"?pemda={pemda.pk}",
        reverse("organisations:import", args=[pemda.pk, "unit"]),
        reverse("surveys:period_list"),
        reverse("surveys:period_create", args=[pemda.pk]),
        reverse("surveys:period_detail", args=[period.pk]),
        reverse("surveys:population_import", args=[period.pk]),
        reverse("surveys:unit_result", args=per_unit),
        reverse("surveys:response_list", args=per_unit),
        reverse("surveys:response_list", args=per_unit) + "?tanda=1",
        reverse("surveys:paper_entry", args=per_unit),
        reverse("surveys:paper_import", args=per_unit),
        reverse("surveys:extra_questions", args=per_unit),
        reverse("surveys:follow_up", args=per_unit),
        reverse("surveys:link_list", args=[unit.pk]),
        reverse("surveys:kiosk_list", args=[unit.pk]),
    ]


def _public_pages(w):
    link = SurveyLink.objects.filter(unit=w["unit"], is_active=True).first()
    return [
        reverse("surveys:form", args=[link.token]),
        reverse("surveys:public_results", args=[w["unit"].pk]),
    ]


def _check(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="id", follow=True)
    assert response.status_code == 200, url
    screen = Screen()
    screen.feed(response.content.decode())
    english = _english_in("\n".join(screen.read))
    localized = [m for m in screen.machine if LOCALIZED_NUMBER.search(m.split("=", 1)[1])]
    return [f"{url}: English {english}" for _ in [1] if english] + [
        f"{url}: localized {localized}" for _ in [1] if localized
    ]


def test_staff_and_public_pages_speak_indonesian_and_keep_ids_plain(client, seen):
    client.force_login(User.objects.get(email="admin@demo.mutu.id"))
    problems = [p for url in _staff_pages(seen) for p in _check(client, url)]
    client.logout()
    problems += [p for url in _public_pages(seen) for p in _check(client, url)]
    assert problems == [], "\n".join(problems)


def test_the_greeting_uses_the_persons_name_not_a_title(demo, client):
    head = User.objects.get(email="kepala.disdukcapil@demo.mutu.id")
    assert head.full_name.startswith("Hj. ")
    client.force_login(head)
    html = client.get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Selamat datang, Siti" in html
    assert "Selamat datang, Hj." not in html


@pytest.mark.parametrize(
    ("full_name", "greeting"),
    [
        ("Hj. Siti Rahmah (DEMO)", "Siti"),
        ("dr. Made Suarsana", "Made"),
        ("Dr. Ir. H. Ahmad Yani, M.T.", "Ahmad"),
        ("Drs. Budi Santoso, M.Si.", "Budi"),
        ("Prof. Dr. Hj. Rina Kartika, S.E., M.M.", "Rina"),
        ("H Muhammad Ali", "Muhammad"),
        ("Andi Saputra", "Andi"),
        ("Bambang", "Bambang"),
    ],
)
def test_greeting_name_strips_honorifics_and_degrees(full_name, greeting):
    assert User(full_name=full_name, email="x@example.go.id").get_short_name() == greeting
