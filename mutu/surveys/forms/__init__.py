"""The SKM's forms: the citizen's questionnaire, paper entry, and the staff's forms."""

from mutu.surveys.forms.paper import (
    DIGIT_ERRORS,
    PAPER_FIELD_COLUMNS,
    PaperEntryForm,
    paper_column_of,
    paper_row_errors,
)
from mutu.surveys.forms.public import (
    ANSWER_PREFIXES,
    JSON_TEXT_KEYS,
    NO_LONGER_ASKED,
    NOT_APPLICABLE,
    NOT_ONE_VALUE,
    PROFILE_FIELDS,
    UNKNOWN_SERVICE,
    SurveyForm,
    json_path,
    json_survey_form,
)
from mutu.surveys.forms.staff import (
    ExtraQuestionForm,
    FkpForm,
    LinkForm,
    PeriodForm,
    PopulationForm,
    RtlForm,
    ServicePopulationForm,
)

__all__ = [
    "ANSWER_PREFIXES",
    "DIGIT_ERRORS",
    "JSON_TEXT_KEYS",
    "NOT_APPLICABLE",
    "NOT_ONE_VALUE",
    "NO_LONGER_ASKED",
    "PAPER_FIELD_COLUMNS",
    "PROFILE_FIELDS",
    "UNKNOWN_SERVICE",
    "ExtraQuestionForm",
    "FkpForm",
    "LinkForm",
    "PaperEntryForm",
    "PeriodForm",
    "PopulationForm",
    "RtlForm",
    "ServicePopulationForm",
    "SurveyForm",
    "json_path",
    "json_survey_form",
    "paper_column_of",
    "paper_row_errors",
]
