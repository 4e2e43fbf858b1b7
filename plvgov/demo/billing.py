"""Demo chapter: billing (filled in by the billing capability)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plvgov.demo import Story


def build(story: Story) -> list[str]:
    return []
