"""What can be done in the SKM cycle, and who may (read by mutu.core.access)."""

from enum import StrEnum

from mutu.core.access import Grant
from mutu.core.access import Relation as R


class SurveyAction(StrEnum):
    # Quarantine or release a unit's responses: the Pemda admin, never someone of the unit
    # itself (it would grade itself). The unit head may only ask for a review.
    MODERATE_RESPONSES = "moderate_responses"
    REQUEST_REVIEW = "request_review"


ACTIONS = {
    SurveyAction.MODERATE_RESPONSES: Grant.of(R.ADMIN, not_own_unit=True),
    SurveyAction.REQUEST_REVIEW: Grant.of(R.HEAD),
}
