"""Charts for documents: matplotlib drawn to inline SVG, the same bytes for the same data.

A Figure drawn straight to SVG (no pyplot, no display), a fixed ``svg.hashsalt`` (element ids
do not change between runs), text kept as text (``svg.fonttype`` "none": small, searchable,
printed in the document's font) and no date stamp in the metadata.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from plvgov.money import format_gbp

TITLE = "Subscription per member by financial year, against CPI"


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


def subscription_chart(
    years: Sequence[str], amounts: Sequence[Decimal | None], cpi_line: Sequence[Decimal | None]
) -> str:
    """Bars: the subscription per member for each FY; line: the base amount moved by CPI alone
    (what the same £ would be at the reference month's index). Returns an ``<svg>`` element."""
    import matplotlib
    from matplotlib.figure import Figure

    # A Figure drawn straight to SVG, without pyplot: no global figure manager, nothing left
    # open to close. (matplotlib.figure itself is most of the board pack's own time: ~0.65 s.)
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "plvgov",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        fig = Figure(figsize=(6.6, 2.8))
        ax = fig.subplots()
        positions = list(range(len(years)))
        # Money is Decimal everywhere else; a chart only needs its position on a scale.
        bars = [float(a) if a is not None else 0.0 for a in amounts]
        ax.bar(positions, bars, color="#2f5d8a", width=0.6, label="Subscription per member")
        for x, amount in zip(positions, amounts, strict=True):
            if amount is not None:
                ax.annotate(
                    f"£{amount:,.0f}",
                    (x, float(amount)),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
            else:  # the CPI month the year needs is not published (or not loaded) yet
                ax.annotate(
                    "not yet\nknown",
                    (x, 0),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color="#666666",
                    xytext=(0, 4),
                    textcoords="offset points",
                )
        points = [(x, float(c)) for x, c in zip(positions, cpi_line, strict=True) if c is not None]
        if points:
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                color="#c0392b",
                marker="o",
                markersize=3,
                linewidth=1.5,
                label="Base amount moved by CPI (D7BT)",
            )
        ax.set_xticks(positions, list(years))
        ax.set_ylabel("£ per member")
        top = max([*bars, *(p[1] for p in points), 1.0])
        ax.set_ylim(0, top * 1.18)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"£{v:,.0f}"))
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            ncol=2,
            fontsize=7,
            frameon=False,
            borderaxespad=0,
        )
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # The text alternative: role and label for a browser's screen reader; <title> (a tagged
    # PDF's /Alt for the figure: WeasyPrint reads it) and <desc> inside.
    description = subscription_description(years, amounts, cpi_line)
    alt = escape(f"{TITLE}. {description}")
    opening = svg.index(">")
    return (
        svg[:opening].replace("<svg", f'<svg role="img" aria-label="{alt}"', 1)
        + f">\n<title>{alt}</title>\n<desc>{escape(description)}</desc>"
        + svg[opening + 1 :]
    )


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
    """Line: the break-even weekly charge at each occupancy; dashed lines across: each charge
    considered. Where the line lies below a charge, that charge covers cost. Returns ``<svg>``."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "plvgov",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        fig, ax = plt.subplots(figsize=(6.6, 3.0))
        try:
            xs = [float(o) * 100 for o, _ in points]  # a chart needs only positions on a scale
            ys = [float(c) for _, c in points]
            ax.plot(xs, ys, color="#2f5d8a", marker="o", markersize=3, linewidth=1.8,
                    label="Break-even charge")  # fmt: skip
            colours = ("#c0392b", "#7f8c8d", "#27ae60", "#8e44ad", "#d35400")
            for n, charge in enumerate(charges):
                colour = colours[n % len(colours)]
                ax.axhline(float(charge), color=colour, linestyle="--", linewidth=1)
                ax.annotate(  # at the left, where the break-even line lies above every charge
                    f"£{charge:,.0f} a week",
                    (xs[0] if xs else 60, float(charge)),
                    ha="left",
                    va="bottom",
                    fontsize=7,
                    color=colour,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
            ax.set_xlabel("Occupancy")
            ax.set_ylabel("£ a week")
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0f}%"))
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"£{v:,.0f}"))
            top = max([*ys, *(float(c) for c in charges), 1.0])
            ax.set_ylim(0, top * 1.12)
            ax.legend(loc="lower right", fontsize=7, frameon=False)
            fig.tight_layout()
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    description = breakeven_description(points, charges)
    alt = escape(f"{BREAKEVEN_TITLE}. {description}")
    opening = svg.index(">")
    return (
        svg[:opening].replace("<svg", f'<svg role="img" aria-label="{alt}"', 1)
        + f">\n<title>{alt}</title>\n<desc>{escape(description)}</desc>"
        + svg[opening + 1 :]
    )
