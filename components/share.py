"""Share this view: a copyable deep link to the page's exact state and a QR code of it (stub, filled in by #9)."""

from __future__ import annotations

from igf_explorer.registry import PageSpec


def render_share(spec: PageSpec) -> None:
    """Draw the page's deep link and its QR code (in the sidebar)."""
