"""What happens to reports, as recorded in the event log (mutu.core.events). The values are stored:
never change one, add a new one."""

from enum import StrEnum


class ReportEvent(StrEnum):
    REPORT_REQUESTED = "report.requested"
