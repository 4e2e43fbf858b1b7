"""SQLModel tables, one module per domain. Importing this package registers them all."""

from plvgov.models.audit import AuditEvent
from plvgov.models.billing import *  # noqa: F403
from plvgov.models.decisions import *  # noqa: F403
from plvgov.models.members import Member, MemberDecision, Representative, WithdrawalNotice
from plvgov.models.settings import SettingValue

__all__ = [
    "AuditEvent",
    "Member",
    "MemberDecision",
    "Representative",
    "SettingValue",
    "WithdrawalNotice",
]
