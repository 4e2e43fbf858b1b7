"""The home's finances: each financial year's outturn and every member's share of it."""

from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["Outturn", "OutturnShare"]


class Outturn(Table, table=True):
    """A financial year's actual result for the secure children's home, recorded once the year
    has ended. ``result_pence`` is signed: a surplus above nil, a deficit below."""

    __tablename__ = "outturn"

    id: int | None = Field(default=None, primary_key=True)
    financial_year: int = Field(unique=True)  # the FY's start year
    result_pence: int
    basis: str  # "days" (pro rata to days of membership) or "equal"
    authority: str  # what authorises it: a passed members' resolution for a deficit to be met
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    recorded_on: date


class OutturnShare(Table, table=True):
    """One member's share of a year's outturn, frozen when it was recorded: the shares of a
    year sum to its result exactly, and a member that later ceased keeps them."""

    __tablename__ = "outturn_share"

    id: int | None = Field(default=None, primary_key=True)
    outturn_id: int = Field(foreign_key="outturn.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    days: int  # days of membership within the year (inclusive)
    share_pence: int  # signed as the result
