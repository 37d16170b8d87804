"""Issue 11 item 14: an account that exists outside the Pemda is only invited; the role starts
when its owner accepts, and the admin's message never names the person behind the address."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.organisations import services
from mutu.organisations.models import Invitation, Membership
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

SECRET_NAME = "Dr. Rahasia Wijayakusuma"


@pytest.fixture
def pemda():
    return PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten PPU"))


@pytest.fixture
def admin(pemda):
    return member(Role.PEMDA_ADMIN, pemda=pemda)


@pytest.fixture
def outsider():
    """An inspector of another Pemda, whose name the PPU admin must not learn."""
    person = member(Role.INSPECTOR, pemda=PemdaFactory())
    person.email, person.full_name = "inspektur@lain.go.id", SECRET_NAME
    person.save()
    return person


def _add(client, pemda, email, captured, **extra):
    form = {"email": email, "full_name": "Nama Ketikan Admin", "role": "inspector", **extra}
    with captured(execute=True):
        response = client.post(reverse("organisations:member_add", args=[pemda.pk]), form)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)][-1]  # the newest


def test_an_account_of_another_pemda_is_invited_not_added(
    client, pemda, admin, outsider, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    message = _add(client, pemda, "Inspektur@Lain.go.id", django_capture_on_commit_callbacks)
    assert SECRET_NAME not in message
    assert not Membership.objects.filter(user=outsider, pemda=pemda).exists()
    invitation = Invitation.objects.get(user=outsider)
    assert (invitation.pemda, invitation.role, invitation.status) == (pemda, "inspector", "pending")
    assert DomainEvent.objects.filter(verb="invitation.created", actor=admin, pemda=pemda).exists()
    # The admin sees the address they typed, never the name, on the list and in the event log.
    people = client.get(reverse("organisations:member_list", args=[pemda.pk])).content.decode()
    log = client.get(reverse("core:event_list")).content.decode()
    assert "inspektur@lain.go.id" in people
    assert SECRET_NAME not in people and SECRET_NAME not in log
    # The person is told, with the page where they accept.
    (offer,) = mail.outbox
    assert offer.to == ["inspektur@lain.go.id"]
    assert "http://testserver/undangan/" in offer.body


def test_the_message_is_the_same_whether_the_account_exists_or_not(
    client, pemda, admin, outsider, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    existing = _add(client, pemda, "inspektur@lain.go.id", django_capture_on_commit_callbacks)
    new = _add(client, pemda, "baru@ppu.go.id", django_capture_on_commit_callbacks)
    assert existing.replace("inspektur@lain.go.id", "X") == new.replace("baru@ppu.go.id", "X")
    assert "Nama Ketikan Admin" not in existing + new
    assert outsider.full_name == SECRET_NAME  # the typed name never overwrites an account


def test_the_invited_person_accepts_after_signing_in(
    client, pemda, admin, outsider, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    _add(client, pemda, "inspektur@lain.go.id", django_capture_on_commit_callbacks)
    _add(client, pemda, "inspektur@lain.go.id", django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()  # asked twice: one invitation, one email
    assert len(mail.outbox) == 1
    client.logout()
    assert client.get(reverse("organisations:invitation_list"))["Location"].startswith(
        reverse("login")
    )
    client.force_login(outsider)
    assert "undangan peran untuk Anda" in client.get(reverse("core:dashboard")).content.decode()
    page = client.get(reverse("organisations:invitation_list")).content.decode()
    assert pemda.name in page and "Inspektorat" in page
    url = reverse("organisations:invitation_respond", args=[invitation.pk])
    assert client.post(url, {"answer": "accept"}).status_code == 302
    assert Membership.objects.filter(user=outsider, pemda=pemda, role="inspector").exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_at
    assert DomainEvent.objects.filter(verb="invitation.accepted", actor=outsider).count() == 1
    assert DomainEvent.objects.filter(verb="membership.granted", actor=admin).count() == 1
    # Once answered, it is gone: a second POST finds nothing.
    assert client.post(url, {"answer": "accept"}).status_code == 404
    assert Membership.objects.filter(user=outsider, pemda=pemda).count() == 1


def test_declining_grants_nothing_and_is_recorded(client, pemda, admin, outsider):
    invitation = services.member_invite(
        pemda=pemda, email=outsider.email, full_name="x", role=Role.INSPECTOR, actor=admin
    )
    client.force_login(outsider)
    url = reverse("organisations:invitation_respond", args=[invitation.pk])
    assert client.post(url, {"answer": "salah"}).status_code == 302  # bad input: a message
    assert Invitation.objects.get().status == "pending"
    client.post(url, {"answer": "decline"})
    assert Invitation.objects.get().status == "declined"
    assert not Membership.objects.filter(user=outsider, pemda=pemda).exists()
    assert DomainEvent.objects.filter(verb="invitation.declined", actor=outsider).exists()


def test_nobody_else_can_answer_an_invitation(client, pemda, admin, outsider):
    invitation = services.member_invite(
        pemda=pemda, email=outsider.email, full_name="x", role=Role.INSPECTOR, actor=admin
    )
    url = reverse("organisations:invitation_respond", args=[invitation.pk])
    for intruder in (admin, UserFactory(), member(Role.PEMDA_ADMIN, pemda=PemdaFactory())):
        client.force_login(intruder)
        assert client.post(url, {"answer": "accept"}).status_code == 404
        assert url not in client.get(reverse("organisations:invitation_list")).text
    assert Invitation.objects.get().status == "pending"
    assert not Membership.objects.filter(user=outsider, pemda=pemda).exists()


def test_an_invitation_from_an_admin_who_lost_the_right_gives_nothing(
    client, pemda, admin, outsider
):
    invitation = services.member_invite(
        pemda=pemda, email=outsider.email, full_name="x", role=Role.INSPECTOR, actor=admin
    )
    Membership.objects.filter(user=admin).delete()
    client.force_login(outsider)
    url = reverse("organisations:invitation_respond", args=[invitation.pk])
    response = client.post(url, {"answer": "accept"}, follow=True)
    assert "Undangan ini sudah tidak berlaku." in response.content.decode()
    assert not Membership.objects.filter(user=outsider, pemda=pemda).exists()


def test_a_unit_role_invitation_is_checked_like_a_membership(pemda, admin, outsider):
    unit = UnitFactory(pemda=pemda)
    invitation = services.member_invite(
        pemda=pemda,
        email=outsider.email,
        full_name="x",
        role=Role.UNIT_HEAD,
        unit=unit,
        actor=admin,
    )
    assert (invitation.unit, invitation.role) == (unit, "unit_head")
    with pytest.raises(Exception, match="satu unit"):
        services.member_invite(
            pemda=pemda, email=outsider.email, full_name="x", role=Role.UNIT_HEAD, actor=admin
        )


def test_the_invitation_email_link_is_the_acceptance_page(
    client, pemda, admin, outsider, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    _add(client, pemda, outsider.email, django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    assert link == reverse("organisations:invitation_list")
