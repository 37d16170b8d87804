"""Population per service: each service gets its own Krejcie–Morgan target."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.indices.sampling import krejcie_morgan
from mutu.surveys import selectors, services
from mutu.surveys.models import PeriodService, Response
from tests.factories import ServiceFactory, member
from tests.surveys.factories import PeriodUnitFactory, add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat():
    return PeriodUnitFactory()


@pytest.fixture
def ktp(seat):
    return ServiceFactory(unit=seat.unit, name="KTP elektronik")


@pytest.fixture
def kk(seat):
    return ServiceFactory(unit=seat.unit, name="Kartu keluarga")


def _url(seat):
    return reverse("surveys:unit_result", args=[seat.period.pk, seat.unit.pk])


def _save_url(seat):
    return reverse("surveys:unit_service_populations", args=[seat.period.pk, seat.unit.pk])


def test_head_sets_populations_and_sees_each_target(client, seat, ktp, kk):
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    reply = client.post(
        _save_url(seat),
        {f"service_{ktp.pk}": "1200", f"service_{kk.pk}": ""},
    )
    assert reply.status_code == 302
    assert dict(PeriodService.objects.values_list("service_id", "population")) == {ktp.pk: 1200}
    event = DomainEvent.objects.get(verb="survey_population.set")
    assert event.data["service"] == ktp.pk and event.data["to"] == 1200
    add_responses(seat.period, seat.unit, [dict.fromkeys(UNSUR_CODES, 3) for _ in range(3)])
    Response.objects.update(service=ktp)
    samples = {s.service.pk: s for s in selectors.service_samples(seat.period, seat.unit.pk)}
    assert samples[ktp.pk].target == krejcie_morgan(1200) == 291
    assert samples[ktp.pk].respondents == 3 and samples[ktp.pk].short_of_target == 288
    assert samples[kk.pk].target is None and samples[kk.pk].respondents == 0
    page = client.get(_url(seat)).content.decode()
    assert "kurang 288 responden" in page and "populasi belum diisi" in page


def test_a_blank_clears_a_population(client, seat, ktp):
    PeriodService.objects.create(period=seat.period, service=ktp, population=50)
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    client.post(_save_url(seat), {f"service_{ktp.pk}": ""})
    assert not PeriodService.objects.exists()


def test_a_negative_or_text_population_changes_nothing(client, seat, ktp, kk):
    PeriodService.objects.create(period=seat.period, service=ktp, population=50)
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    reply = client.post(
        _save_url(seat),
        {f"service_{ktp.pk}": "70", f"service_{kk.pk}": "-3"},
    )
    assert reply.status_code == 200
    assert "lebih besar dari atau sama dengan 0" in reply.content.decode()
    assert dict(PeriodService.objects.values_list("service_id", "population")) == {ktp.pk: 50}


def test_viewers_cannot_set_populations(client, seat, ktp):
    client.force_login(member(Role.INSPECTOR, pemda=seat.period.pemda))
    reply = client.post(_save_url(seat), {f"service_{ktp.pk}": "9"})
    assert reply.status_code == 403
    assert not PeriodService.objects.exists()


def test_service_of_a_unit_outside_the_period_is_refused(seat):
    stranger = ServiceFactory()  # its unit does not take part in the period
    admin = member(Role.PEMDA_ADMIN, pemda=stranger.unit.pemda)
    with pytest.raises(ValidationError, match="bukan peserta"):
        services.service_population_set(
            period=seat.period, service=stranger, population=10, actor=admin
        )
    assert not PeriodService.objects.exists()


def test_service_samples_take_three_queries_whatever_the_number_of_services(
    seat, django_assert_num_queries
):
    for i in range(6):
        ServiceFactory(unit=seat.unit, name=f"Layanan {i}")
    with django_assert_num_queries(3):
        assert len(selectors.service_samples(seat.period, seat.unit.pk)) == 6


def test_import_sets_unit_and_service_populations_and_reports_unknown_services(
    client, post_import, seat, ktp
):
    admin = member(Role.PEMDA_ADMIN, pemda=seat.period.pemda)
    client.force_login(admin)
    url = reverse("surveys:population_import", args=[seat.period.pk])
    name = seat.unit.name
    body = f"nama_unit;nama_layanan;populasi\n{name};;5000\n{name};ktp elektronik;1.200\n"
    bad = body + f"{name};Paspor;30\n"
    reply = post_import(url, {"file": SimpleUploadedFile("p.csv", bad.encode(), "text/csv")})
    assert "Layanan “Paspor” tidak ada di unit ini." in reply.content.decode()
    assert not PeriodService.objects.exists()  # all or nothing
    post_import(url, {"file": SimpleUploadedFile("p.csv", body.encode(), "text/csv")})
    seat.refresh_from_db()
    assert seat.population == 5000
    assert PeriodService.objects.get(service=ktp).population == 1200


def test_the_page_shows_the_populations_already_entered(client, seat, ktp):
    seat.population = 4321
    seat.save()
    PeriodService.objects.create(period=seat.period, service=ktp, population=1200)
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    page = client.get(_url(seat)).content.decode()
    assert 'name="population" value="4321"' in page
    assert f'name="service_{ktp.pk}" value="1200"' in page
