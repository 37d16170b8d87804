"""Every write of the SKM, validated, atomic and audited: one topic per module. The package
names each module's public functions, so that callers write `services.response_submit`."""

from mutu.core.intake.meta import SubmissionMeta
from mutu.surveys.services.extra_questions import extra_question_add, extra_question_retire
from mutu.surveys.services.follow_up import fkp_record, rtl_carry_over, rtl_save
from mutu.surveys.services.intake import (
    DUPLICATE_WINDOW,
    KIOSK_DUPLICATE_WINDOW,
    PUBLIC_LIMITS,
    PeriodClosed,
    SurveyTarget,
    resend_of,
    response_submit,
    validate_answers,
    validate_extra,
    was_resent,
)
from mutu.surveys.services.kiosks import kiosk_register, kiosk_revoke, kiosk_rotate
from mutu.surveys.services.links import link_create, link_rotate
from mutu.surveys.services.moderation import (
    response_quarantine,
    response_release,
    responses_quarantine,
    responses_release,
    review_request,
)
from mutu.surveys.services.paper import (
    paper_number_clean,
    paper_number_taken,
    paper_number_taken_message,
    paper_numbers_taken,
    refuse_served_outside,
    served_outside_message,
)
from mutu.surveys.services.periods import (
    overlapping_periods,
    period_create,
    period_set_status,
    population_set,
    service_population_set,
    service_populations_set,
    skippable_set,
    today_in,
)

__all__ = [
    "DUPLICATE_WINDOW",
    "KIOSK_DUPLICATE_WINDOW",
    "PUBLIC_LIMITS",
    "PeriodClosed",
    "SubmissionMeta",
    "SurveyTarget",
    "extra_question_add",
    "extra_question_retire",
    "fkp_record",
    "kiosk_register",
    "kiosk_revoke",
    "kiosk_rotate",
    "link_create",
    "link_rotate",
    "overlapping_periods",
    "paper_number_clean",
    "paper_number_taken",
    "paper_number_taken_message",
    "paper_numbers_taken",
    "period_create",
    "period_set_status",
    "population_set",
    "refuse_served_outside",
    "resend_of",
    "response_quarantine",
    "response_release",
    "response_submit",
    "responses_quarantine",
    "responses_release",
    "review_request",
    "rtl_carry_over",
    "rtl_save",
    "served_outside_message",
    "service_population_set",
    "service_populations_set",
    "skippable_set",
    "today_in",
    "validate_answers",
    "validate_extra",
    "was_resent",
]
