"""A period closed in one worker refuses answers in every worker: the statement that stores an
answer reads the period's status itself, so a stale cached "open" cannot store one (issue 11,
item 4). Closing here goes behind the cache's back (an UPDATE sends no signal), as a close in
another gunicorn worker with a per-process cache does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors, services
from mutu.surveys.models import Answer, KioskDevice, Response, SurveyPeriod
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db
ANSWERS = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on"}


def _close_behind_the_cache(period: SurveyPeriod, *, at=None) -> None:
    SurveyPeriod.objects.filter(pk=period.pk).update(
        status=SurveyPeriod.Status.CLOSED, closed_at=at or timezone.now()
    )


def test_the_web_form_refuses_when_the_cache_says_open_and_the_database_closed(client):
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    assert client.get(url).status_code == 200  # the open period is now cached
    _close_behind_the_cache(seat.period)
    assert selectors.public_target(link.token)[1].period.status == "open"  # stale, on purpose
    page = client.post(url, ANSWERS)
    assert page.status_code == 200 and "sudah ditutup" in page.content.decode()
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_the_service_refuses_a_target_whose_period_was_closed_since(db):
    seat = PeriodUnitFactory()
    target = selectors.target_for_link(SurveyLinkFactory(unit=seat.unit))
    _close_behind_the_cache(seat.period)
    with pytest.raises(services.PeriodClosed, match="sudah ditutup"):
        services.response_submit(
            target=target,
            answers=dict.fromkeys(UNSUR_CODES, 4),
            profile={},
            meta=services.SubmissionMeta(ip="10.0.0.1"),
        )
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def _kiosk_target(seat):
    kiosk = KioskDevice.objects.create(unit=seat.unit, name="Tablet")
    return selectors.target_for_kiosk(kiosk)


def test_a_kiosk_answer_queued_before_a_close_the_cache_missed_is_kept_as_late(db):
    seat = PeriodUnitFactory()
    target = _kiosk_target(seat)  # resolved while open
    answered = timezone.now() - timedelta(minutes=10)
    _close_behind_the_cache(seat.period, at=timezone.now() - timedelta(minutes=5))
    stored = services.response_submit(
        target=target,
        answers=dict.fromkeys(UNSUR_CODES, 4),
        profile={},
        meta=services.SubmissionMeta(answered_at=answered),
    )
    stored.refresh_from_db()
    assert (stored.flag, stored.quarantined) == ("late", True)
    assert "setelah ditutup" in stored.quarantine_reason


def test_a_kiosk_answer_given_after_a_close_the_cache_missed_is_refused(db):
    seat = PeriodUnitFactory()
    target = _kiosk_target(seat)
    _close_behind_the_cache(seat.period, at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(services.PeriodClosed, match="sudah ditutup"):
        services.response_submit(
            target=target,
            answers=dict.fromkeys(UNSUR_CODES, 4),
            profile={},
            meta=services.SubmissionMeta(answered_at=timezone.now() - timedelta(minutes=1)),
        )
    assert Response.objects.count() == 0


def test_a_period_reopened_since_the_target_was_resolved_takes_the_answer_unflagged(db):
    seat = PeriodUnitFactory()
    target = _kiosk_target(seat)
    SurveyPeriod.objects.filter(pk=seat.period.pk).update(status="open", closed_at=None)
    stored = services.response_submit(
        target=target,
        answers=dict.fromkeys(UNSUR_CODES, 4),
        profile={},
        meta=services.SubmissionMeta(),
    )
    stored.refresh_from_db()
    assert (stored.flag, stored.quarantined) == ("", False)
