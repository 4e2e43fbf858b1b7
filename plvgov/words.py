"""Counts in words, as a person writes them: "1 invoice", "2 invoices", "1 of the 4 needed".

Every message that prints a count beside a noun goes through :func:`plural`, so that no line
reads "Issued 1 invoices" or "1 deadlines"."""

from __future__ import annotations

#: Nouns whose plural is not the noun + "s" (or "es" after s, x, z, ch, sh).
_IRREGULAR = {
    "person": "people",
    "child": "children",
    "entry": "entries",
    "authority": "authorities",
}


def plural_of(noun: str) -> str:
    """The plural of a noun, or of a phrase ending in one ("eligible member")."""
    before, space, word = noun.rpartition(" ")
    if word in _IRREGULAR:
        many = _IRREGULAR[word]
    elif word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        many = word[:-1] + "ies"
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        many = word + "es"
    else:
        many = word + "s"
    return before + space + many


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 invoice``, ``2 invoices``, ``0 invoices``, ``1,200 rows``; ``many`` for a plural
    the rules above do not know."""
    word = noun if count == 1 else (many or plural_of(noun))
    return f"{count:,} {word}"


#: The authority plvgov records for a value nobody has decided: the standard terms it ships with.
DEFAULT_AUTHORITY = "default"


def authority(recorded: str | None, *, short: bool = False) -> str:
    """The authority for a value as a council's finance officer reads it: the resolution or
    decision recorded, or, for a value nobody has decided ("default"), the standard terms
    (``short``: for a table's column)."""
    if not recorded or recorded == DEFAULT_AUTHORITY:
        return "standard terms" if short else "the standard terms (no board decision recorded)"
    return recorded
