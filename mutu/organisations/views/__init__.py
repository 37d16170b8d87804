"""The organisations' pages, one module per topic."""

from mutu.organisations.views.calendar import (
    holiday_delete,
    holiday_edit,
    holiday_import,
    holiday_list,
)
from mutu.organisations.views.imports import (
    import_job,
    import_template,
    import_view,
)
from mutu.organisations.views.members import (
    invitation_list,
    invitation_respond,
    member_add,
    member_list,
    member_revoke,
)
from mutu.organisations.views.units import (
    pemda_edit,
    pemda_list,
    service_create,
    service_edit,
    unit_create,
    unit_detail,
    unit_edit,
    unit_list,
)

__all__ = [
    "holiday_delete",
    "holiday_edit",
    "holiday_import",
    "holiday_list",
    "import_job",
    "import_template",
    "import_view",
    "invitation_list",
    "invitation_respond",
    "member_add",
    "member_list",
    "member_revoke",
    "pemda_edit",
    "pemda_list",
    "service_create",
    "service_edit",
    "unit_create",
    "unit_detail",
    "unit_edit",
    "unit_list",
]
