"""Tables that fit the console they are printed on: nothing a reader must copy is ever cut.

Identifiers, money, dates and numbers never wrap; prose wraps between words; optional columns
drop out when the console is narrow, and a table that still cannot fit prints each row as a
block of ``column: value`` lines. Commands build them through :func:`table`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.table import Table
    from rich.text import Text


def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        from plvgov.money import format_gbp

        return format_gbp(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    right: Sequence[str] = (),
    caption: str | None = None,
    optional: Sequence[str] = (),
) -> Listing:
    """Rows under a header, laid out when printed to fit the console without cutting anything
    a reader must copy (see :class:`Listing`). ``optional`` names the columns to leave out,
    one at a time in its order, when the console is too narrow for them all."""
    return Listing(
        title, columns, [[cell(v) for v in row] for row in rows], right, caption, optional
    )


#: The narrowest a prose column is squeezed to (a word longer than this keeps its length).
_PROSE_MIN = 10


class Listing:
    """A table that fits the console it is printed on. Identifiers, money, dates and numbers
    (columns whose every cell is one word) are never wrapped or cut; prose columns wrap at
    word boundaries and never narrower than their longest word. When the columns cannot fit
    side by side, the ``optional`` ones are left out in turn (a caption names them); when they still
    cannot, each row is printed as a block of ``column: value`` lines."""

    def __init__(
        self,
        title: str | None,
        columns: Sequence[str],
        cells: list[list[str]],
        right: Sequence[str],
        caption: str | None,
        optional: Sequence[str],
    ) -> None:
        self.title, self.columns, self.cells = title, list(columns), cells
        self.right, self.caption, self.optional = set(right), caption, list(optional)

    # -- measuring --------------------------------------------------------------------------
    def _bounds(self, index: int) -> tuple[int, int]:
        """(narrowest, natural) width of a column's text, header included."""
        from rich.cells import cell_len

        header = self.columns[index]
        values = [r[index] for r in self.cells]
        lines = [line for v in values for line in v.splitlines() or [""]]
        widest = max((cell_len(line) for line in lines), default=0)
        natural = max(widest, cell_len(header))
        header_word = max((cell_len(w) for w in header.split()), default=0)
        if all(_one_word(v) for v in values):  # a code, an amount, a date, a number
            return max(widest, header_word), natural
        longest_word = max((cell_len(w) for v in values for w in v.split()), default=0)
        return max(longest_word, header_word, min(natural, _PROSE_MIN)), natural

    def _widest_rows(self, shown: list[int]) -> list[list[str]]:
        """The rows holding each shown column's widest line: a table of only these (and the
        header) measures as wide as the whole table, whatever its length."""
        from rich.cells import cell_len

        def width(text: str) -> int:
            return max((cell_len(line) for line in text.splitlines()), default=0)

        if not self.cells:
            return []
        picks = {max(range(len(self.cells)), key=lambda r: width(self.cells[r][i])) for i in shown}
        return [self.cells[r] for r in sorted(picks)]

    def _table(
        self,
        shown: list[int],
        widths: list[int] | None,
        note: str | None,
        rows: list[list[str]] | None = None,
    ) -> Table:
        from rich import box
        from rich.table import Table

        caption = "; ".join(x for x in (self.caption, note) if x) or None
        result = Table(
            title=self.title,
            caption=caption,
            title_justify="left",
            show_lines=False,
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for position, index in enumerate(shown):
            name = self.columns[index]
            narrowest, natural = self._bounds(index)
            result.add_column(
                name,
                justify="right" if name in self.right else "left",
                no_wrap=narrowest >= natural,
                width=None if widths is None else widths[position],
                overflow="fold",  # reached only by a single word wider than the console
            )
        for row in self.cells if rows is None else rows:
            result.add_row(*(_plain(row[i]) for i in shown))
        return result

    def _fitted(
        self, console: Console, options: ConsoleOptions, shown: list[int], note: str | None
    ) -> Table | None:
        """The table of the ``shown`` columns in ``options.max_width``, or None if it cannot fit."""
        from rich.measure import Measurement

        available = options.max_width
        bounds = [self._bounds(i) for i in shown]
        natural = [b[1] for b in bounds]
        probe = self._table(shown, None, note, self._widest_rows(shown))
        total = Measurement.get(console, options.update_width(10**6), probe).maximum
        if total <= available:  # each column its natural width, given: rich measures none
            return self._table(shown, natural, note)
        overhead = total - sum(natural)
        room = available - overhead
        widths = [b[0] for b in bounds]
        if sum(widths) > room:
            return None
        # Give the room left to the prose columns, the narrowest first, up to their natural
        # widths: short prose stays on one line and the longest takes what remains.
        spare = room - sum(widths)
        while spare > 0:
            short = [(widths[k], k) for k in range(len(widths)) if widths[k] < natural[k]]
            if not short:
                break
            _, k = min(short)
            widths[k] += 1
            spare -= 1
        return self._table(shown, widths, note)

    # -- drawing ----------------------------------------------------------------------------
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        kept = list(range(len(self.columns)))
        fitted = self._fitted(console, options, kept, None)
        left_out: list[str] = []
        for name in self.optional:  # one at a time, in the caller's order
            if fitted is not None or name not in self.columns:
                break
            left_out.append(name)
            kept = [i for i in kept if self.columns[i] != name]
            note = f"not shown at this width: {', '.join(left_out)}"
            fitted = self._fitted(console, options, kept, note)
        if fitted is not None:
            yield fitted
            return
        yield from self._vertical()

    def _vertical(self) -> Iterator[Any]:
        """One block of ``column: value`` lines per row, for a console too narrow for columns."""
        from rich.table import Table
        from rich.text import Text

        if self.title:
            yield Text(self.title, style="table.title")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for number, row in enumerate(self.cells):
            if number:
                grid.add_row("", "")
            for name, value in zip(self.columns, row, strict=True):
                grid.add_row(_plain(f"{name}:"), _plain(value))
        yield grid
        if self.caption:
            yield Text(self.caption, style="table.caption")


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")


def _one_word(value: str) -> bool:
    """A cell that must stay on one line: no space in it, or a date and time."""
    return len(value.split()) <= 1 or _DATE_TIME.fullmatch(value) is not None


def _plain(text: str) -> Text:
    """A cell as it is: brackets in a council's name or a rule's source are not markup."""
    from rich.text import Text

    return Text(text)
