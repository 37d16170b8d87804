"""The "reports ready" card of the landing page (registered with mutu.core.dashboard)."""

from typing import Any

from django.db.models import Q

from mutu.core.access import scope_of
from mutu.core.dashboard import Card, register
from mutu.reports.models import ReportJob

READY_SHOWN = 5


def ready_for(user: Any) -> list[ReportJob]:
    """Finished reports the user may download: the rule of selectors.job_get (asked for by the
    user, or of a Pemda the user administers or inspects) in one query."""
    scope = scope_of(user)
    jobs = ReportJob.objects.filter(status=ReportJob.Status.DONE).exclude(file="")
    if not scope.everything:
        oversees = scope.admin_pemdas | scope.inspected_pemdas
        jobs = jobs.filter(Q(requested_by=user) | Q(pemda_id__in=oversees)) & jobs.visible_to(user)
    return list(jobs.select_related("pemda").order_by("-created_at")[:READY_SHOWN])


@register
def report_cards(user: Any) -> list[Card]:
    jobs = ready_for(user)
    return [Card("reports/dashboard_ready.html", {"jobs": jobs}, order=40)] if jobs else []
