"""The load benchmark's data (manage.py bench_setup): --reset removes earlier load runs'
responses, and nothing else."""

from io import StringIO

import pytest
from django.core.management import call_command

from mutu.surveys.models import Answer, Response, SurveyLink
from tests.factories import UnitFactory
from tests.surveys.factories import SurveyPeriodFactory, add_responses, uniform_row


def _setup(*args):
    out = StringIO()
    call_command("bench_setup", *args, stdout=out)
    token, count = out.getvalue().split()
    return SurveyLink.objects.get(token=token), int(count)


@pytest.mark.django_db
def test_reset_deletes_the_load_responses_and_keeps_the_rest():
    link, _ = _setup()
    load_period = link.unit.pemda.survey_periods.get(name="Benchmark")
    add_responses(load_period, link.unit, [uniform_row(3)] * 4)
    other_unit = UnitFactory()
    other_period = SurveyPeriodFactory(pemda=other_unit.pemda)
    add_responses(other_period, other_unit, [uniform_row(2)] * 2)

    assert _setup()[1] == 6  # without --reset nothing is deleted
    _, remaining = _setup("--reset")

    assert remaining == 2
    assert not Response.objects.filter(period=load_period).exists()
    assert not Answer.objects.filter(period=load_period).exists()
    assert Answer.objects.filter(period=other_period).count() == 2 * 9
