"""What happens to an account, as recorded in the event log (mutu.core.events). The values
are stored: never change one, add a new one."""

from enum import StrEnum


class CoreEvent(StrEnum):
    ACCOUNT_2FA_DISABLED = "account.2fa_disabled"
    ACCOUNT_2FA_ENABLED = "account.2fa_enabled"
