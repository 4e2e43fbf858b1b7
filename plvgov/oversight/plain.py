"""Findings and deadlines in words for directors: the board pack's form of what ``plvgov check``
and ``plvgov calendar`` tell the company secretary.

The secretary's screens name the command that fixes a finding and the setting a deadline comes
from; a board paper names neither. :func:`message` drops the "; record it with `plvgov …`"
part of a finding, :func:`source` turns "settings: invoice_due_days" into "the company's payment
terms", :func:`subject` turns a setting's key ("launch_date") into words, and every ISO date
("2026-05-01", "2026-09") becomes the UK form a person writes ("1 May 2026", "September 2026").
"""

from __future__ import annotations

import re
from datetime import date

from plvgov.dates import uk_date

#: The rule behind a deadline, for a setting that feeds one: what the setting is, in words.
SETTING_WORDS: dict[str, str] = {
    "invoice_due_days": "the company's payment terms",
    "reminder_first_days": "the company's reminder terms (first reminder)",
    "reminder_final_days": "the company's reminder terms (final reminder)",
    "subscription_notice_day": "the company's yearly date for subscription notices",
    "withdrawal_notice_months": "the notice period for withdrawal",
    "opt_in_target": "the opt-in target",
}
#: The membership terms' own headings, as a board paper names them.
TERMS_WORDS = "the terms of membership"

_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_DAY = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_MONTH = re.compile(r"(?<![\w-])(\d{4})-(\d{2})(?![\w-])")
_SETTING = re.compile(r"settings: ([a-z_]+)(?: \(([^)]*)\))?")


def dates(text: str) -> str:
    """``text`` with each ISO date ("2026-05-01") and month ("2026-09") in UK form."""

    def day(m: re.Match[str]) -> str:
        try:
            return uk_date(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return m[0]

    def month(m: re.Match[str]) -> str:
        try:
            return date(int(m[1]), int(m[2]), 1).strftime("%B %Y")
        except ValueError:
            return m[0]

    return _MONTH.sub(month, _DAY.sub(day, text))


def sentence(text: str) -> str:
    """A deadline's detail or subject for a paper: dates the UK way, a capital first letter."""
    words = dates(text)
    return words[:1].upper() + words[1:]


def _setting(key: str, value: str | None = None) -> str:
    words = SETTING_WORDS.get(key, key.replace("_", " "))
    if key == "withdrawal_notice_months" and value and value.isdigit():
        return f"{words} ({value} month{'' if value == '1' else 's'})"
    return f"{words} ({value})" if value else words


def source(text: str) -> str:
    """The rule a deadline follows, in words: "CA 2006 s.297" stays; "settings: invoice_due_days"
    is "The company's payment terms"; "terms: exit points" is "The terms of membership (exit
    points)"."""
    if text.startswith("terms: "):
        words = f"{TERMS_WORDS} ({text.removeprefix('terms: ')})"
    else:
        words = _SETTING.sub(lambda m: _setting(m[1], m[2]), text)
    return words[:1].upper() + words[1:]


def subject(text: str) -> str:
    """What a finding concerns, capitalised: a setting's key ("launch_date") is "Launch date"."""
    words = _keys(text)
    return words[:1].upper() + words[1:]


def _keys(text: str) -> str:
    return _KEY.sub(lambda m: SETTING_WORDS.get(m[0], m[0].replace("_", " ")), text)


def message(text: str) -> str:
    """A finding without the secretary's command: each "; …" part that names a command line is
    dropped, each setting's key ("bank_sort_code") is put in words and dates are written the UK
    way."""
    kept = [part for part in text.split("; ") if "`" not in part]
    words = "; ".join(kept) if kept else text.replace("`", "")
    words = _SETTING.sub(lambda m: _setting(m[1], m[2]), words)
    return dates(_keys(words))
