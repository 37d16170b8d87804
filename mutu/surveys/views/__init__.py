"""The SKM's pages, one topic per module; urls.py names them through the package."""

from mutu.surveys.views.confirmation import confirmation_page, confirmed
from mutu.surveys.views.extra_questions import (
    extra_question_add,
    extra_question_retire,
    extra_questions,
)
from mutu.surveys.views.follow_up import fkp_create, follow_up, rtl_carry_over, rtl_create, rtl_edit
from mutu.surveys.views.kiosks import (
    KIOSK_ASSETS,
    KIOSK_SW_TEMPLATE,
    kiosk_list,
    kiosk_page,
    kiosk_register,
    kiosk_revoke,
    kiosk_rotate,
    kiosk_service_worker,
    kiosk_submit,
)
from mutu.surveys.views.links import (
    badge_embed,
    link_list,
    link_poster,
    link_poster_pdf,
    link_qr,
    link_rotate,
    public_url,
)
from mutu.surveys.views.moderation import (
    MODERATION_LIMIT,
    response_list,
    response_quarantine,
    response_release,
    response_review_request,
)
from mutu.surveys.views.paper import (
    PENDING_KEY,
    paper_blank_pdf,
    paper_entry,
    paper_import,
    paper_template,
    paper_template_unit,
)
from mutu.surveys.views.periods import (
    period_create,
    period_detail,
    period_list,
    period_status,
    population_import,
)
from mutu.surveys.views.public import (
    CLIENT_ID_PLACEHOLDER,
    CSRF_PLACEHOLDER,
    badge,
    public_results,
    survey_form,
    survey_form_for,
    survey_thanks,
)
from mutu.surveys.views.results import (
    unit_population,
    unit_result,
    unit_service_populations,
    unit_skippable,
)
from mutu.surveys.views.seat import unit_seat

__all__ = [
    "CLIENT_ID_PLACEHOLDER",
    "CSRF_PLACEHOLDER",
    "KIOSK_ASSETS",
    "KIOSK_SW_TEMPLATE",
    "MODERATION_LIMIT",
    "PENDING_KEY",
    "badge",
    "badge_embed",
    "confirmation_page",
    "confirmed",
    "extra_question_add",
    "extra_question_retire",
    "extra_questions",
    "fkp_create",
    "follow_up",
    "kiosk_list",
    "kiosk_page",
    "kiosk_register",
    "kiosk_revoke",
    "kiosk_rotate",
    "kiosk_service_worker",
    "kiosk_submit",
    "link_list",
    "link_poster",
    "link_poster_pdf",
    "link_qr",
    "link_rotate",
    "paper_blank_pdf",
    "paper_entry",
    "paper_import",
    "paper_template",
    "paper_template_unit",
    "period_create",
    "period_detail",
    "period_list",
    "period_status",
    "population_import",
    "public_results",
    "public_url",
    "response_list",
    "response_quarantine",
    "response_release",
    "response_review_request",
    "rtl_carry_over",
    "rtl_create",
    "rtl_edit",
    "survey_form",
    "survey_form_for",
    "survey_thanks",
    "unit_population",
    "unit_result",
    "unit_seat",
    "unit_service_populations",
    "unit_skippable",
]
