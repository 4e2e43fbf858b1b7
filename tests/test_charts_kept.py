"""A board paper's charts are kept between runs (plvgov.documents.charts): a kept chart is the
chart drawn for the same data; other data, another matplotlib release, a damaged file or a cache
that cannot be written all mean drawing it; and a matplotlibrc on the machine changes nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from plvgov import cache
from plvgov.documents import charts

YEARS = ["2024/25", "2025/26", "2026/27"]
AMOUNTS = [Decimal("21000.00"), Decimal("22135.27"), None]
CPI = [Decimal("20800.00"), Decimal("21400.00"), None]


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    kept = tmp_path / "cache"
    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(kept))
    yield kept


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The charts drawn (not taken from the cache), by kind."""
    calls: list[str] = []
    subscription, breakeven = charts.draw_subscription, charts.draw_breakeven

    def count_subscription(*args: object) -> str:
        calls.append("subscription")
        return subscription(*args)  # type: ignore[arg-type]

    def count_breakeven(*args: object) -> str:
        calls.append("breakeven")
        return breakeven(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(charts, "draw_subscription", count_subscription)
    monkeypatch.setattr(charts, "draw_breakeven", count_breakeven)
    return calls


def test_the_kept_chart_is_the_drawn_chart(folder: Path, drawn: list[str]) -> None:
    first = charts.subscription_chart(YEARS, AMOUNTS, CPI)
    again = charts.subscription_chart(YEARS, AMOUNTS, CPI)
    assert drawn == ["subscription"]
    assert first == again == charts.draw_subscription(YEARS, AMOUNTS, CPI)
    (kept,) = folder.glob("chart-subscription-*.svg")
    assert kept.read_text(encoding="utf-8") == first


def test_other_data_is_drawn(drawn: list[str]) -> None:
    charts.subscription_chart(YEARS, AMOUNTS, CPI)
    changed = [Decimal("21000.00"), Decimal("22135.28"), None]  # a penny
    svg = charts.subscription_chart(YEARS, changed, CPI)
    assert drawn == ["subscription", "subscription"] and "£22,135.28" in svg
    points = [(Decimal("0.6"), Decimal("14145.21")), (Decimal("1"), Decimal("8487.13"))]
    charts.breakeven_chart(points, [Decimal("8250")])
    charts.breakeven_chart(points, [Decimal("8250")])
    charts.breakeven_chart(points, [Decimal("8250"), Decimal("12000")])
    assert drawn[2:] == ["breakeven", "breakeven"]


def test_another_matplotlib_release_is_drawn(
    drawn: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    charts.subscription_chart(YEARS, AMOUNTS, CPI)
    digest = cache.package_digest
    monkeypatch.setattr(
        cache, "package_digest", lambda package, files: b"another" + (digest(package, files) or b"")
    )
    charts.subscription_chart(YEARS, AMOUNTS, CPI)
    assert drawn == ["subscription", "subscription"]


def test_a_damaged_chart_is_drawn_again_and_replaced(folder: Path, drawn: list[str]) -> None:
    whole = charts.subscription_chart(YEARS, AMOUNTS, CPI)
    (kept,) = folder.glob("chart-subscription-*.svg")
    kept.write_text(whole[: len(whole) // 2], encoding="utf-8")
    assert charts.subscription_chart(YEARS, AMOUNTS, CPI) == whole
    assert kept.read_text(encoding="utf-8") == whole and len(drawn) == 2


def test_a_cache_that_cannot_be_written_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(blocker / "cache"))
    first = charts.subscription_chart(YEARS, AMOUNTS, CPI)
    assert charts.subscription_chart(YEARS, AMOUNTS, CPI) == first and len(drawn) == 2


def test_only_the_newest_charts_are_kept(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "KEEP", 2)
    for pence in range(4):
        charts.subscription_chart(YEARS, [Decimal(21000 + pence), None, None], CPI)
    assert len(list(folder.glob("chart-*.svg"))) == 2


def _chart_in_a_new_process(cache_folder: Path, mpl_config: Path) -> tuple[str, bool]:
    program = (
        "import hashlib, json, sys\n"
        "from decimal import Decimal as D\n"
        "from plvgov.documents import charts\n"
        "svg = charts.subscription_chart(['2024/25', '2025/26'], [D('21000.00'), None],"
        " [D('20800.00'), D('21400.00')])\n"
        "digest = hashlib.sha256(svg.encode()).hexdigest()\n"
        "print(json.dumps([digest, 'matplotlib' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={"PLVGOV_CACHE_DIR": str(cache_folder), "MPLCONFIGDIR": str(mpl_config),
             "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    digest, imported = json.loads(done.stdout)
    return digest, imported


def test_a_later_run_does_not_import_matplotlib(tmp_path: Path) -> None:
    config = tmp_path / "mpl"
    config.mkdir()
    first = _chart_in_a_new_process(tmp_path / "c", config)
    later = _chart_in_a_new_process(tmp_path / "c", config)
    assert first == (later[0], True) and later[1] is False


def test_a_matplotlibrc_on_the_machine_does_not_change_a_chart(tmp_path: Path) -> None:
    plain, styled = tmp_path / "plain", tmp_path / "styled"
    plain.mkdir()
    styled.mkdir()
    (styled / "matplotlibrc").write_text(
        "axes.facecolor: yellow\nytick.labelsize: 20\nsvg.fonttype: path\nlines.linewidth: 6\n"
    )
    # Each in a cache of its own, so that each is drawn.
    assert _chart_in_a_new_process(tmp_path / "c1", plain) == _chart_in_a_new_process(
        tmp_path / "c2", styled
    )


# A chart drawn later (charts.later): a PDF's document names it, and it is drawn while the
# pages are laid out.


def _opening(svg: str) -> dict[str, str]:
    """The size attributes of an svg's opening tag."""
    head = svg[: svg.index(">")]
    return dict(re.findall(r'\s(width|height|viewBox)="([^"]*)"', head))


def _alternative(svg: str) -> tuple[str, ...]:
    found = re.search(
        r'aria-label="([^"]*)".*?<title>(.*?)</title>\s*<desc>(.*?)</desc>', svg, re.S
    )
    assert found is not None
    return found.groups()


POINTS = [(Decimal("0.6"), Decimal("14145.21")), (Decimal("1"), Decimal("8487.13"))]
CHARGES = [Decimal("8250")]


@pytest.mark.parametrize("kind", ["subscription", "breakeven"])
def test_a_chart_not_kept_is_named_in_its_place_and_drawn_when_asked_for(
    folder: Path, drawn: list[str], kind: str
) -> None:
    def ask() -> str:
        if kind == "subscription":
            return charts.subscription_chart(YEARS, AMOUNTS, CPI)
        return charts.breakeven_chart(POINTS, CHARGES)

    with charts.later() as late:
        named = ask()
    assert drawn == [] and list(folder.glob("chart-*.svg")) == []
    (name,) = late.charts
    assert f'<image href="plvgov-late:{name}"' in named
    # what the page is laid out with: the drawn chart's size and its text alternative
    real = charts.draw_subscription(YEARS, AMOUNTS, CPI) if kind == "subscription" else (
        charts.draw_breakeven(POINTS, CHARGES))  # fmt: skip
    drawn.clear()
    assert _opening(named) == _opening(real) and len(_opening(real)) == 3
    assert _alternative(named) == _alternative(real)
    # asked for (from the renderer's thread) or drawn by the command: drawn once, then kept
    late.draw_all("a document that does not show the chart")
    assert drawn == []
    assert late.fetch(name) == real.encode("utf-8")
    late.draw_all(named)
    assert late.fetch(name) == real.encode("utf-8") and drawn == [kind]
    assert ask() == real and drawn == [kind]  # kept: a later pack does not draw it
    with charts.later() as again:
        assert ask() == real and not again.charts  # a kept chart is inline, even for a PDF
    assert late.fetch("chart-subscription-000000000000000000000000") is None


def test_a_chart_that_cannot_be_drawn_fails_whoever_asks_and_is_drawn_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tries: list[int] = []

    def broken(*args: object) -> str:
        tries.append(1)
        raise ValueError("no such font")

    monkeypatch.setattr(charts, "draw_subscription", broken)
    with charts.later() as late:
        charts.subscription_chart(YEARS, AMOUNTS, CPI)
    (name,) = late.charts
    with pytest.raises(ValueError, match="no such font"):
        late.draw_all(f"plvgov-late:{name}")
    with pytest.raises(ValueError, match="no such font"):
        late.fetch(name)
    assert tries == [1]


def test_a_paper_draws_a_chart_only_if_its_template_shows_it(
    folder: Path, drawn: list[str]
) -> None:
    with charts.later() as late:
        named = charts.subscription_chart(YEARS, AMOUNTS, CPI)
    real = charts.draw_subscription(YEARS, AMOUNTS, CPI)
    drawn.clear()
    # Markdown shows the chart's description, not the chart: nothing is drawn
    assert late.inline("## Money\n\nSubscription per member: …\n") == (
        "## Money\n\nSubscription per member: …\n")  # fmt: skip
    assert drawn == []
    # HTML (and Word, made from it) gets the chart drawn in its place, as before
    page = f"<figure>{named}</figure><p>after</p>"
    assert late.inline(page) == f"<figure>{real}</figure><p>after</p>" and drawn == ["subscription"]
