"""What can be done in the SKM cycle, and who may (read by mutu.core.access; the role table of
docs/panduan-admin-pemda.md is generated from it)."""

from enum import StrEnum

from mutu.core.access import Grant
from mutu.core.access import Relation as R

UNIT_STAFF = (R.ADMIN, R.HEAD, R.OPERATOR)


class SurveyAction(StrEnum):
    MANAGE_PERIODS = "manage_periods"  # open, close, publish, reopen a period; its populations
    SET_UNIT_SAMPLING = "set_unit_sampling"  # a unit's population and skippable unsur
    MANAGE_LINKS = "manage_links"  # QR links and kiosks of a unit
    ENTER_PAPER = "enter_paper"  # type or import paper questionnaires
    MANAGE_OWN_QUESTIONS = "manage_own_questions"  # a unit's own questions (never in the IKM)
    MANAGE_FOLLOW_UP = "manage_follow_up"  # RTL and FKP of a unit
    # Quarantine or release a unit's responses: the Pemda admin, never someone of the unit
    # itself (it would grade itself). The unit head may only ask for a review.
    MODERATE_RESPONSES = "moderate_responses"
    REQUEST_REVIEW = "request_review"


ACTIONS = {
    SurveyAction.MANAGE_PERIODS: Grant.of(R.ADMIN, doc="mengelola periode SKM", on="pemda"),
    SurveyAction.SET_UNIT_SAMPLING: Grant.of(R.ADMIN, R.HEAD, doc="mengatur populasi unit"),
    SurveyAction.MANAGE_LINKS: Grant.of(*UNIT_STAFF, doc="mengelola tautan QR dan kios"),
    SurveyAction.ENTER_PAPER: Grant.of(*UNIT_STAFF, doc="memasukkan kuesioner kertas"),
    SurveyAction.MANAGE_OWN_QUESTIONS: Grant.of(*UNIT_STAFF, doc="mengatur pertanyaan tambahan"),
    SurveyAction.MANAGE_FOLLOW_UP: Grant.of(*UNIT_STAFF, doc="menyusun RTL dan FKP"),
    SurveyAction.MODERATE_RESPONSES: Grant.of(
        R.ADMIN, not_own_unit=True, doc="mengarantina dan mengembalikan respons"
    ),
    SurveyAction.REQUEST_REVIEW: Grant.of(R.HEAD, doc="meminta tinjauan respons"),
}
