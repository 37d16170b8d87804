"""Factories for every model a test needs; regions are real Kemendagri rows loaded per test."""

import factory
from factory.django import DjangoModelFactory

from mutu.core.models import User
from mutu.core.roles import Role
from mutu.organisations import services
from mutu.organisations.models import Membership, Pemda, Region, Service, Unit


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"99.{n:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    level = Region.Level.KABUPATEN
    timezone = "Asia/Makassar"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    password = factory.PostGenerationMethodCall("set_password", "sandi-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PemdaFactory(DjangoModelFactory):
    class Meta:
        model = Pemda

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"Pemerintah {o.region.name}")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    pemda = factory.SubFactory(PemdaFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = Unit.Kind.DINAS

    @factory.post_generation
    def _path(obj, create, extracted, **kwargs):
        if create:
            services.unit_save_path(obj)


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Layanan Uji {n}")


def member(role: Role, *, pemda: Pemda | None = None, unit: Unit | None = None) -> User:
    user = UserFactory()
    Membership.objects.create(user=user, role=role, pemda=pemda, unit=unit)
    return user
