"""Issue 12, item 1: the flagged-responses page with ids past a million (the thousands separator
broke every quarantine), bulk quarantine and release with one reason, and moderation kept with
the Pemda admin: the unit never quarantines its own responses, its head only asks for a review."""

import re

import pytest
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.organisations import services as org_services
from mutu.organisations.models import Membership
from mutu.surveys.models import Response, ReviewRequest
from tests.factories import UnitFactory, member
from tests.surveys.factories import PeriodUnitFactory, add_responses, uniform_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    link = PeriodUnitFactory()
    period, unit = link.period, link.unit
    responses = add_responses(period, unit, [uniform_row(v) for v in (4, 3, 2, 1)])
    return {"period": period, "unit": unit, "pemda": period.pemda, "responses": responses}


def _url(w, query=""):
    return reverse("surveys:response_list", args=[w["period"].pk, w["unit"].pk]) + query


ACTIONS = {
    "quarantine": "surveys:response_quarantine",
    "release": "surveys:response_release",
    "review": "surveys:response_review_request",
}


def _act(w, action, query=""):
    return reverse(ACTIONS[action], args=[w["period"].pk, w["unit"].pk]) + query


def _form_action(html):
    return re.search(r'<form method="post" action="([^"]*)" id="moderation"', html)[1]


def _ticked_values(html):
    return re.findall(r'type="checkbox" name="response" value="([^"]*)"', html)


def _admin(w):
    return member(Role.PEMDA_ADMIN, pemda=w["pemda"])


def test_the_page_posts_back_ids_past_a_million_as_plain_digits(client, world):
    client.force_login(_admin(world))
    html = client.get(_url(world)).content.decode()
    values = _ticked_values(html)
    assert sorted(values) == sorted(str(r.pk) for r in world["responses"])
    assert all(int(v) > 1_000_000 for v in values)  # the guard of tests/conftest.py
    # What the browser sends back is what the page rendered, where the form sends it.
    assert _form_action(html) == _act(world, "quarantine")
    reply = client.post(_form_action(html), {"response": values[:1], "reason": "ganda"})
    assert reply.status_code == 302
    assert Response.objects.filter(quarantined=True).count() == 1


def test_bulk_quarantine_and_release_with_one_reason(client, world):
    client.force_login(_admin(world))
    chosen = [r.pk for r in world["responses"][:3]]
    page = client.post(
        _act(world, "quarantine"),
        {"response": chosen, "reason": "diisi petugas loket"},
        follow=True,
    )
    assert "Respons dikarantina." in page.content.decode()
    held = Response.objects.filter(quarantined=True)
    assert sorted(held.values_list("pk", flat=True)) == sorted(chosen)
    assert set(held.values_list("quarantine_reason", flat=True)) == {"diisi petugas loket"}
    assert DomainEvent.objects.filter(verb="survey_response.quarantined").count() == 3
    client.post(_act(world, "release"), {"response": chosen[:2], "reason": "sudah dicek"})
    assert list(Response.objects.filter(quarantined=True).values_list("pk", flat=True)) == [
        chosen[2]
    ]
    released = DomainEvent.objects.filter(verb="survey_response.released")
    assert [e.data["reason"] for e in released] == ["sudah dicek", "sudah dicek"]


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "  "},  # no reason
        {"reason": "x", "response": []},  # nothing ticked
    ],
)
def test_bad_input_changes_nothing_and_says_why(client, world, data):
    client.force_login(_admin(world))
    data.setdefault("response", [world["responses"][0].pk])
    page = client.post(_act(world, "quarantine"), data, follow=True)
    assert page.status_code == 200
    assert 'class="alert alert-danger' in page.content.decode() or "wajib" in page.content.decode()
    assert not Response.objects.filter(quarantined=True).exists()


def test_a_localized_id_is_not_found_and_changes_nothing(client, world):
    client.force_login(_admin(world))
    data = {"reason": "x", "response": ["1.000.001"]}
    assert client.post(_act(world, "quarantine"), data).status_code == 404
    assert not Response.objects.filter(quarantined=True).exists()


def test_a_response_of_another_unit_is_not_found(client, world):
    other = PeriodUnitFactory(period=world["period"])
    (foreign,) = add_responses(world["period"], other.unit, [uniform_row(4)])
    client.force_login(_admin(world))
    data = {"response": [world["responses"][0].pk, foreign.pk], "reason": "x"}
    assert client.post(_act(world, "quarantine"), data).status_code == 404
    assert not Response.objects.filter(quarantined=True).exists()


def _unit_head(w):
    return member(Role.UNIT_HEAD, pemda=w["pemda"], unit=w["unit"])


def _admin_of_own_unit(w):
    # A Bagian Organisasi officer who also heads the unit would grade the unit.
    user = _admin(w)
    Membership.objects.create(user=user, role=Role.UNIT_HEAD, pemda=w["pemda"], unit=w["unit"])
    return user


@pytest.mark.parametrize(
    "make_user",
    [
        _unit_head,
        lambda w: member(Role.UNIT_OPERATOR, pemda=w["pemda"], unit=w["unit"]),
        lambda w: member(Role.INSPECTOR, pemda=w["pemda"]),
        _admin_of_own_unit,
    ],
    ids=["unit head", "unit operator", "inspector", "admin heading the unit"],
)
@pytest.mark.parametrize("action", ["quarantine", "release"])
def test_only_the_pemda_admin_outside_the_unit_moderates(client, world, make_user, action):
    Response.objects.filter(pk=world["responses"][1].pk).update(quarantined=True)
    client.force_login(make_user(world))
    page = client.get(_url(world)).content.decode()
    assert _act(world, "quarantine") not in page and _act(world, "release") not in page
    data = {"response": [r.pk for r in world["responses"]], "reason": "x"}
    assert client.post(_act(world, action), data).status_code == 403
    assert list(Response.objects.filter(quarantined=True)) == [world["responses"][1]]


def test_parent_unit_head_cannot_quarantine_the_child_unit(client, world):
    parent = UnitFactory(pemda=world["pemda"])
    world["unit"].parent = parent
    world["unit"].save()
    org_services.unit_save_path(world["unit"])
    client.force_login(member(Role.UNIT_HEAD, pemda=world["pemda"], unit=parent))
    data = {"response": [world["responses"][0].pk], "reason": "x"}
    assert client.post(_act(world, "quarantine"), data).status_code == 403


def test_unit_head_asks_for_a_review_that_the_admin_sees_and_decides(client, world):
    head = _unit_head(world)
    client.force_login(head)
    target = world["responses"][3]
    page = client.post(
        _act(world, "review"),
        {"response": [target.pk], "reason": "responden salah unit"},
        follow=True,
    )
    assert "Permintaan tinjauan dikirim ke admin Pemda." in page.content.decode()
    review = ReviewRequest.objects.get()
    assert (review.response, review.requested_by, review.closed_at) == (target, head, None)
    event = DomainEvent.objects.get(verb="survey_response.review_requested")
    assert event.data == {"reason": "responden salah unit"}
    target.refresh_from_db()
    assert not target.quarantined  # asking is not deciding

    client.force_login(_admin(world))
    flagged = client.get(_url(world, "?tanda=1")).content.decode()
    assert "responden salah unit" in flagged and head.full_name in flagged
    assert _ticked_values(flagged) == [str(target.pk)]  # only the asked-about one is listed
    assert "1 respons diminta ditinjau oleh unit." in client.get(_url(world)).content.decode()
    data = {"response": [target.pk], "reason": "benar salah unit"}
    client.post(_act(world, "quarantine"), data)
    review.refresh_from_db()
    assert review.closed_at is not None


@pytest.mark.parametrize(
    "make_user",
    [
        lambda w: member(Role.UNIT_OPERATOR, pemda=w["pemda"], unit=w["unit"]),
        _admin,
        lambda w: member(Role.INSPECTOR, pemda=w["pemda"]),
    ],
    ids=["unit operator", "pemda admin", "inspector"],
)
def test_only_the_unit_head_asks_for_a_review(client, world, make_user):
    client.force_login(make_user(world))
    data = {"response": [world["responses"][0].pk], "reason": "x"}
    assert client.post(_act(world, "review"), data).status_code == 403
    assert not ReviewRequest.objects.exists()


def test_a_review_without_a_reason_is_refused(client, world):
    client.force_login(_unit_head(world))
    data = {"response": [world["responses"][0].pk], "reason": " "}
    page = client.post(_act(world, "review"), data, follow=True)
    assert "Alasan permintaan tinjauan wajib diisi." in page.content.decode()
    assert not ReviewRequest.objects.exists()


def test_flags_are_shown_in_words(client, world):
    words = dict(Response.Flag.choices)
    flags = ["pow", "duplicate", "rate", "late"]
    for response, flag in zip(world["responses"], flags, strict=True):
        Response.objects.filter(pk=response.pk).update(flag=flag)
    client.force_login(_admin(world))
    html = client.get(_url(world)).content.decode()
    badges = re.findall(r'<span class="badge text-bg-warning">([^<]*)</span>', html)
    assert sorted(badges) == sorted(str(words[f]) for f in flags)
    assert "duplicate" not in badges


def test_page_query_count_does_not_grow_with_reviews(client, world, django_assert_max_num_queries):
    head = _unit_head(world)
    ReviewRequest.objects.bulk_create(
        ReviewRequest(response=r, requested_by=head, reason="cek") for r in world["responses"]
    )
    client.force_login(_admin(world))
    with django_assert_max_num_queries(13):
        assert client.get(_url(world)).status_code == 200


def test_a_moderation_goes_back_to_the_list_as_it_was_shown(client, world):
    client.force_login(_admin(world))
    html = client.get(_url(world, "?tanda=1&page=1")).content.decode()
    assert _form_action(html) == _act(world, "quarantine", "?tanda=1&amp;page=1")
    data = {"response": [world["responses"][0].pk], "reason": "x"}
    reply = client.post(_act(world, "quarantine", "?tanda=1&page=1"), data)
    assert reply.url == _url(world, "?tanda=1&page=1")
