"""A Pemda admin adds people with a role, they set their password from the email, roles go."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mutu.core.models import DomainEvent, User
from mutu.core.roles import Role
from mutu.organisations import services
from mutu.organisations.models import Membership
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def pemda():
    return PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten PPU"))


@pytest.fixture
def admin(pemda):
    return member(Role.PEMDA_ADMIN, pemda=pemda)


def test_invited_person_sets_a_password_and_signs_in(
    client, pemda, admin, django_capture_on_commit_callbacks
):
    unit = UnitFactory(pemda=pemda, name="Disdukcapil")
    client.force_login(admin)
    form = {"email": "Operator@PPU.go.id", "full_name": "Andi", "role": "unit_operator"}
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after COMMIT
        response = client.post(
            reverse("organisations:member_add", args=[pemda.pk]), {**form, "unit": unit.pk}
        )
    assert response.status_code == 302
    user = User.objects.get(email="operator@ppu.go.id")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, role=Role.UNIT_OPERATOR, unit=unit).exists()
    assert DomainEvent.objects.filter(verb="membership.granted", actor=admin).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["operator@ppu.go.id"]
    link = re.search(r"http://testserver(/akun/sandi/atur/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    new = {"new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"}
    assert client.post(form_page.redirect_chain[-1][0], new).status_code == 302
    login = {"username": "operator@ppu.go.id", "password": "Sandi-Baru-2026!"}
    assert client.post(reverse("login"), login)["Location"] == reverse("core:dashboard")


def test_a_person_already_in_the_pemda_gets_another_role_without_an_email(client, pemda, admin):
    person = member(Role.UNIT_OPERATOR, unit=UnitFactory(pemda=pemda))
    person.email = "auditor@ppu.go.id"
    person.save()
    client.force_login(admin)
    client.post(
        reverse("organisations:member_add", args=[pemda.pk]),
        {"email": "auditor@ppu.go.id", "full_name": "x", "role": "inspector"},
    )
    assert Membership.objects.filter(user=person, role=Role.INSPECTOR, pemda=pemda).exists()
    assert mail.outbox == []


def test_unit_role_needs_a_unit_and_nothing_is_written(client, pemda, admin):
    client.force_login(admin)
    response = client.post(
        reverse("organisations:member_add", args=[pemda.pk]),
        {"email": "x@ppu.go.id", "full_name": "X", "role": "unit_head"},
    )
    assert response.status_code == 200
    assert "Peran ini harus terkait dengan satu unit." in response.content.decode()
    assert not User.objects.filter(email="x@ppu.go.id").exists()


def test_pemda_admin_cannot_grant_national_roles_or_foreign_units(pemda, admin):
    with pytest.raises(PermissionDenied):
        services.member_invite(
            pemda=pemda, email="n@x.id", full_name="N", role=Role.NATIONAL_VIEWER, actor=admin
        )
    foreign = UnitFactory()
    with pytest.raises(Exception, match="Pemda ini"):
        services.member_invite(
            pemda=pemda,
            email="f@x.id",
            full_name="F",
            role=Role.UNIT_HEAD,
            unit=foreign,
            actor=admin,
        )
    assert not User.objects.filter(email__in=["n@x.id", "f@x.id"]).exists()


def test_revoke_removes_the_role_and_is_audited(client, pemda, admin):
    inspector = member(Role.INSPECTOR, pemda=pemda)
    membership = Membership.objects.get(user=inspector)
    client.force_login(admin)
    url = reverse("organisations:member_revoke", args=[pemda.pk, membership.pk])
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert DomainEvent.objects.filter(verb="membership.revoked", actor=admin).exists()


def test_admin_cannot_revoke_own_admin_role(client, pemda, admin):
    own = Membership.objects.get(user=admin)
    client.force_login(admin)
    response = client.post(
        reverse("organisations:member_revoke", args=[pemda.pk, own.pk]), follow=True
    )
    assert "Anda tidak dapat mencabut peran admin Anda sendiri." in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_inspector_reads_people_but_cannot_revoke(client, pemda, admin):
    inspector = member(Role.INSPECTOR, pemda=pemda)
    target = Membership.objects.get(user=admin)
    client.force_login(inspector)
    page = client.get(reverse("organisations:member_list", args=[pemda.pk]))
    assert admin.email in page.content.decode()
    assert "Cabut" not in page.content.decode()
    url = reverse("organisations:member_revoke", args=[pemda.pk, target.pk])
    assert client.post(url).status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()
