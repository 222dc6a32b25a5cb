"""Display switches shared by every page: low-bandwidth mode and high contrast (stub, filled in by #9)."""

from __future__ import annotations


def render_display_switches() -> None:
    """The sidebar's switches for low-bandwidth mode and high contrast."""


def apply_display() -> None:
    """Page-wide styles for the chosen display (high contrast, phone layout); drawn once per run."""
