"""What happens to a Pemda's units, services, calendar and people, as recorded in the event log
(mutu.core.events). The values are stored: never change one, add a new one."""

from enum import StrEnum


class OrgEvent(StrEnum):
    HOLIDAY_DELETED = "holiday.deleted"
    HOLIDAY_LOADED = "holiday.loaded"
    HOLIDAY_SAVED = "holiday.saved"
    IMPORT_REQUESTED = "import.requested"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_CREATED = "invitation.created"
    INVITATION_DECLINED = "invitation.declined"
    MEMBERSHIP_GRANTED = "membership.granted"
    MEMBERSHIP_REVOKED = "membership.revoked"
    PEMDA_CREATED = "pemda.created"
    PEMDA_UPDATED = "pemda.updated"
    SERVICE_CREATED = "service.created"
    SERVICE_IMPORTED = "service.imported"
    SERVICE_UPDATED = "service.updated"
    UNIT_CREATED = "unit.created"
    UNIT_IMPORTED = "unit.imported"
    UNIT_UPDATED = "unit.updated"
