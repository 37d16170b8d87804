"""What can be done to a Pemda's units, services, calendar and people, and who may (read by
mutu.core.access; the role table of docs/panduan-admin-pemda.md is generated from it)."""

from enum import StrEnum

from mutu.core.access import Grant
from mutu.core.access import Relation as R


class OrgAction(StrEnum):
    MANAGE_UNITS = "manage_units"  # create/import units and services of a Pemda
    EDIT_UNIT = "edit_unit"  # change a unit's own profile
    MANAGE_SERVICES = "manage_services"  # add/change services of a unit
    MANAGE_CALENDAR = "manage_calendar"  # edit a Pemda's holidays
    MANAGE_MEMBERS = "manage_members"  # give and take roles inside a Pemda


ACTIONS = {
    OrgAction.MANAGE_UNITS: Grant.of(R.ADMIN, doc="membuat dan mengimpor unit", on="pemda"),
    OrgAction.MANAGE_CALENDAR: Grant.of(R.ADMIN, doc="mengatur kalender kerja", on="pemda"),
    OrgAction.MANAGE_MEMBERS: Grant.of(R.ADMIN, doc="memberi dan mencabut peran", on="pemda"),
    OrgAction.EDIT_UNIT: Grant.of(R.ADMIN, R.HEAD, doc="mengubah profil unit"),
    OrgAction.MANAGE_SERVICES: Grant.of(
        R.ADMIN, R.HEAD, R.OPERATOR, doc="menambah dan mengubah layanan"
    ),
}
