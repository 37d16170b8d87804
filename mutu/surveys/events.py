"""What happens in the SKM cycle, as recorded in the event log (mutu.core.events). The values are
stored: never change one, add a new one."""

from enum import StrEnum


class SurveyEvent(StrEnum):
    FKP_RECORDED = "fkp.recorded"
    KIOSK_REGISTERED = "kiosk.registered"
    KIOSK_REVOKED = "kiosk.revoked"
    KIOSK_ROTATED = "kiosk.rotated"
    RTL_CARRIED_OVER = "rtl.carried_over"
    RTL_SAVED = "rtl.saved"
    EXTRA_QUESTION_ADDED = "survey_extra_question.added"
    EXTRA_QUESTION_RETIRED = "survey_extra_question.retired"
    LINK_CREATED = "survey_link.created"
    LINK_ROTATED = "survey_link.rotated"
    PAPER_IMPORTED = "survey_paper.imported"
    PERIOD_CREATED = "survey_period.created"
    PERIOD_STATUS = "survey_period.status"
    POPULATION_SET = "survey_population.set"
    RESPONSE_QUARANTINED = "survey_response.quarantined"
    RESPONSE_RELEASED = "survey_response.released"
    RESPONSE_REVIEW_REQUESTED = "survey_response.review_requested"
    SKIPPABLE_SET = "survey_skippable.set"
