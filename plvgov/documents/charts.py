"""Charts for documents: matplotlib drawn to inline SVG, the same bytes for the same data.

A Figure drawn straight to SVG (no pyplot, no display), from matplotlib's own defaults (a
``matplotlibrc`` on the machine does not change a board paper) with plvgov's few settings on top:
a fixed ``svg.hashsalt`` (element ids do not change between runs), text kept as text
(``svg.fonttype`` "none": small, searchable, printed in the document's font) and no date stamp in
the metadata. Each chart carries its text alternative: ``role``/``aria-label`` for a browser's
screen reader, ``<title>`` (a tagged PDF's /Alt: WeasyPrint reads it) and ``<desc>``.

A chart depends only on its data, matplotlib's release and this module, so each is kept between
runs (:mod:`plvgov.cache`) under a key made of all three: importing matplotlib is ~0.5 s, a
quarter of a board pack, and a board pack redrawn while its papers are drafted draws the same
charts again. Changed data, another matplotlib or a change here makes a new key and the chart
is drawn; :func:`draw_subscription` and :func:`draw_breakeven` always draw.

A chart that is not kept, asked for inside :func:`later` (every paper), is drawn later: the
document gets an ``<svg>`` of the chart's size, with its text alternative, that names the chart
at a :data:`plvgov.documents.pdf.LATE` address. A PDF's command sends the document to the PDF
renderer and then draws the chart (:meth:`Later.draw_all`) while WeasyPrint lays the pages out;
WeasyPrint asks for the chart (:meth:`Later.fetch`) only when it draws its page. The page is the
same, pixel for pixel, as with the chart inline. Another format gets the chart drawn in its
place (:meth:`Later.inline`) if its template shows it, and not drawn at all if it does not
(Markdown).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from plvgov import cache
from plvgov.documents.pdf import LATE
from plvgov.money import format_gbp
from plvgov.values import dataclass

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

TITLE = "Subscription per member by financial year, against CPI"
#: Each chart's size, inches (width, height).
SUBSCRIPTION_SIZE = (6.6, 2.8)
BREAKEVEN_SIZE = (6.6, 3.0)

#: plvgov's settings, over matplotlib's defaults.
_STYLE = {
    "svg.hashsalt": "plvgov",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: matplotlib's files whose content is part of every chart's key: its release.
_MATPLOTLIB_FILES = ("_version.py",)
#: Charts kept at most (the most recently drawn); each is ~20-30 KB.
KEEP = 64


def subscription_description(
    years: Sequence[str], amounts: Sequence[Decimal | None], cpi_line: Sequence[Decimal | None]
) -> str:
    """The chart's data in sentences, its text alternative for a screen reader (and for anyone
    who cannot see the bars): "Subscription per member: 2023/24 £20,000.00; … 2027/28 not yet
    known. The base amount moved by CPI alone: 2023/24 £20,000.00; …"""

    def series(values: Sequence[Decimal | None]) -> str:
        return "; ".join(
            f"{year} {format_gbp(v) if v is not None else 'not yet known'}"
            for year, v in zip(years, values, strict=True)
        )

    text = f"Subscription per member: {series(amounts)}."
    if any(c is not None for c in cpi_line):
        text += f" The base amount moved by CPI alone: {series(cpi_line)}."
    return text


@contextmanager
def _figure(width: float, height: float) -> Iterator[Figure]:
    """A Figure of ``width`` x ``height`` inches, drawn (and saved, inside the block) with
    matplotlib's defaults and :data:`_STYLE`."""
    import matplotlib.style
    from matplotlib.figure import Figure

    with matplotlib.style.context(["default", _STYLE]):
        yield Figure(figsize=(width, height))


def _svg(fig: Figure, title: str, description: str) -> str:
    """The figure as an ``<svg>`` element (no XML prolog), with its text alternative."""
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    return _described(svg[svg.index("<svg") :], title, description)


def _described(svg: str, title: str, description: str) -> str:
    """``svg`` with its text alternative: ``role``/``aria-label`` on the element, ``<title>``
    (a tagged PDF's /Alt) and ``<desc>`` first inside it."""
    alt = escape(f"{title}. {description}")
    opening = svg.index(">")
    return (
        svg[:opening].replace("<svg", f'<svg role="img" aria-label="{alt}"', 1)
        + f">\n<title>{alt}</title>\n<desc>{escape(description)}</desc>"
        + svg[opening + 1 :]
    )


def _labelled(axis: Axis, label: Callable[[float], str]) -> None:
    """Label ``axis``'s ticks with ``label(value)`` (pounds, per cent)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: label(value)))


def _pounds(value: float) -> str:
    return f"£{value:,.0f}"


@dataclass
class _Chart:
    """A chart to draw later, once, and keep (at ``path``)."""

    draw: Callable[[], str]
    path: Path
    named: str  # what stands in the document in its place
    svg: str | None = None
    failure: Exception | None = None


#: One chart drawn at a time: matplotlib's style context changes its process-wide settings.
_DRAWING = threading.Lock()


@dataclass
class Later:
    """The charts a document names before they are drawn (:func:`later`), by name."""

    charts: dict[str, _Chart] = field(default_factory=dict)

    def fetch(self, name: str) -> bytes | None:
        """The chart named ``name``, drawn now if it is not yet (and kept); None if there is no
        such chart. Safe from any thread: the renderer asks from its own."""
        chart = self.charts.get(name)
        if chart is None:
            return None
        if chart.svg is None:  # (a chart drawn is given at once, while another is drawn)
            with _DRAWING:
                if chart.svg is None and chart.failure is None:
                    try:
                        chart.svg = chart.draw()
                    except Exception as failure:  # kept, to be raised to whoever asks again
                        chart.failure = failure
                    else:
                        _keep(chart.path, chart.svg)
        if chart.failure is not None:
            raise chart.failure
        assert chart.svg is not None
        return chart.svg.encode("utf-8")

    def inline(self, document: str) -> str:
        """``document`` with each chart it names drawn in its place (HTML, Word, Markdown): a
        chart the document does not show is not drawn."""
        for name, chart in self.charts.items():
            if chart.named in document:
                drawn = self.fetch(name)
                assert drawn is not None
                document = document.replace(chart.named, drawn.decode("utf-8"))
        return document

    def draw_all(self, document: str) -> None:
        """Draw every chart ``document`` names that is not drawn yet (the first to be drawn
        imports matplotlib, ~0.5 s). A chart a template does not show is not drawn."""
        for name in self.charts:
            if f"{LATE}{name}" in document:
                self.fetch(name)


_LATER: ContextVar[Later | None] = ContextVar("plvgov_charts_later", default=None)


@contextmanager
def later() -> Iterator[Later]:
    """Inside the block, a chart that is not kept is drawn later (see the module's text): the
    charts to draw are those of the :class:`Later` given."""
    charts = Later()
    token = _LATER.set(charts)
    try:
        yield charts
    finally:
        _LATER.reset(token)


def _kept(
    kind: str,
    inputs: object,
    draw: Callable[[], str],
    size: tuple[float, float],
    alternative: Callable[[], tuple[str, str]],
) -> str:
    """The chart drawn for ``inputs`` before, if it is kept; else ``draw()``, kept; or, inside
    :func:`later`, an ``<svg>`` of the chart's ``size`` (inches) with its ``alternative``
    (title, description) that names the chart to draw later."""
    release = cache.package_digest("matplotlib", _MATPLOTLIB_FILES)
    try:
        code = Path(__file__).read_bytes()
    except OSError:
        code = None
    if release is None or code is None:
        return draw()
    key = hashlib.sha256(release)
    key.update(code)
    key.update(json.dumps([kind, inputs], default=str).encode())
    name = f"chart-{kind}-{key.hexdigest()[:24]}"
    path = cache.cache_dir() / f"{name}.svg"
    kept = cache.read_text(path)
    if kept is not None and kept.startswith("<svg") and kept.rstrip().endswith("</svg>"):
        return kept
    pending = _LATER.get()
    if pending is not None:
        named = _described(_naming(name, size), *alternative())
        pending.charts[name] = _Chart(draw, path, named)
        return named
    svg = draw()
    _keep(path, svg)
    return svg


def _keep(path: Path, svg: str) -> None:
    cache.write_text(path, svg)
    cache.prune("chart-*.svg", KEEP)


def _naming(name: str, size: tuple[float, float]) -> str:
    """An ``<svg>`` of ``size`` inches, as matplotlib gives the chart (points, and a view box
    in points), whose one image is the chart at :data:`plvgov.documents.pdf.LATE` ``name``."""
    width, height = (f"{round(inches * 72, 3):g}" for inches in size)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" version="1.1">'
        f'<image href="{LATE}{name}" x="0" y="0" width="{width}" height="{height}"/></svg>'
    )


def subscription_chart(
    years: Sequence[str], amounts: Sequence[Decimal | None], cpi_line: Sequence[Decimal | None]
) -> str:
    """:func:`draw_subscription`, kept between runs."""
    return _kept(
        "subscription",
        [list(years), list(amounts), list(cpi_line)],
        lambda: draw_subscription(years, amounts, cpi_line),
        SUBSCRIPTION_SIZE,
        lambda: (TITLE, subscription_description(years, amounts, cpi_line)),
    )


def draw_subscription(
    years: Sequence[str], amounts: Sequence[Decimal | None], cpi_line: Sequence[Decimal | None]
) -> str:
    """Bars: the subscription per member for each FY; line: the base amount moved by CPI alone
    (what the same £ would be at the reference month's index). Returns an ``<svg>`` element."""
    with _figure(*SUBSCRIPTION_SIZE) as fig:
        ax = fig.subplots()
        positions = list(range(len(years)))
        # Money is Decimal everywhere else; a chart only needs its position on a scale.
        bars = [float(a) if a is not None else 0.0 for a in amounts]
        ax.bar(positions, bars, color="#2f5d8a", width=0.6, label="Subscription per member")
        for x, amount in zip(positions, amounts, strict=True):
            if amount is not None:
                ax.annotate(f"£{amount:,.0f}", (x, float(amount)), ha="center", va="bottom",
                            fontsize=7, xytext=(0, 2), textcoords="offset points")  # fmt: skip
            else:  # the CPI month the year needs is not published (or not loaded) yet
                ax.annotate("not yet\nknown", (x, 0), ha="center", va="bottom", fontsize=7,
                            color="#666666", xytext=(0, 4), textcoords="offset points")  # fmt: skip
        points = [(x, float(c)) for x, c in zip(positions, cpi_line, strict=True) if c is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], color="#c0392b", marker="o",
                    markersize=3, linewidth=1.5,
                    label="Base amount moved by CPI (D7BT)")  # fmt: skip
        ax.set_xticks(positions, list(years))
        ax.set_ylabel("£ per member")
        top = max([*bars, *(p[1] for p in points), 1.0])
        ax.set_ylim(0, top * 1.18)
        _labelled(ax.yaxis, _pounds)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncol=2, fontsize=7, frameon=False,
                  borderaxespad=0)  # fmt: skip
        return _svg(fig, TITLE, subscription_description(years, amounts, cpi_line))


BREAKEVEN_TITLE = "Break-even weekly charge by occupancy, against the charges considered"


def _pct(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def breakeven_description(
    points: Sequence[tuple[Decimal, Decimal]], charges: Sequence[Decimal]
) -> str:
    """The chart in sentences: each occupancy's break-even charge, then the lowest occupancy
    on the chart at which each charge considered covers cost."""
    curve = "; ".join(f"{_pct(o)} {format_gbp(c)}" for o, c in points)
    text = f"Break-even weekly charge by occupancy: {curve}."
    for charge in charges:
        covered = [o for o, c in points if c <= charge]
        if covered:
            text += f" {format_gbp(charge)} a week covers cost from {_pct(min(covered))} occupancy."
        else:
            text += f" {format_gbp(charge)} a week covers cost at no occupancy shown."
    return text


def breakeven_chart(points: Sequence[tuple[Decimal, Decimal]], charges: Sequence[Decimal]) -> str:
    """:func:`draw_breakeven`, kept between runs."""
    return _kept(
        "breakeven",
        [[list(p) for p in points], list(charges)],
        lambda: draw_breakeven(points, charges),
        BREAKEVEN_SIZE,
        lambda: (BREAKEVEN_TITLE, breakeven_description(points, charges)),
    )


def draw_breakeven(points: Sequence[tuple[Decimal, Decimal]], charges: Sequence[Decimal]) -> str:
    """Line: the break-even weekly charge at each occupancy; dashed lines across: each charge
    considered. Where the line lies below a charge, that charge covers cost. Returns ``<svg>``."""
    with _figure(*BREAKEVEN_SIZE) as fig:
        ax = fig.subplots()
        xs = [float(o) * 100 for o, _ in points]  # a chart needs only positions on a scale
        ys = [float(c) for _, c in points]
        ax.plot(xs, ys, color="#2f5d8a", marker="o", markersize=3, linewidth=1.8,
                label="Break-even charge")  # fmt: skip
        colours = ("#c0392b", "#7f8c8d", "#27ae60", "#8e44ad", "#d35400")
        for n, charge in enumerate(charges):
            colour = colours[n % len(colours)]
            ax.axhline(float(charge), color=colour, linestyle="--", linewidth=1)
            ax.annotate(  # at the left, where the break-even line lies above every charge
                f"£{charge:,.0f} a week", (xs[0] if xs else 60, float(charge)), ha="left",
                va="bottom", fontsize=7, color=colour, xytext=(0, 2), textcoords="offset points",
            )  # fmt: skip
        ax.set_xlabel("Occupancy")
        ax.set_ylabel("£ a week")
        _labelled(ax.xaxis, lambda value: f"{value:.0f}%")
        _labelled(ax.yaxis, _pounds)
        top = max([*ys, *(float(c) for c in charges), 1.0])
        ax.set_ylim(0, top * 1.12)
        ax.legend(loc="lower right", fontsize=7, frameon=False)
        return _svg(fig, BREAKEVEN_TITLE, breakeven_description(points, charges))
