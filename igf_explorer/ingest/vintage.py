"""Vintages of single-vintage series (a WDI series is revised whole by each release): read, compared, guarded."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def parse_vintage(text: object) -> tuple[int, ...] | None:
    """A vintage as (year, month) or (year, month, day): from '2024-11-13', '2024-11' or 'November 2024'."""
    if isinstance(text, date):
        return (text.year, text.month, text.day)
    cleaned = str(text or "").strip().strip('"').strip().lower()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", cleaned)
    if match:
        parts = tuple(int(p) for p in match.groups() if p is not None)
        try:
            date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
        except ValueError:
            return None
        return parts
    match = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", cleaned)
    if match and match.group(1) in _MONTHS:
        return (int(match.group(2)), _MONTHS[match.group(1)])
    return None


def shown(parts: tuple[int, ...]) -> str:
    """A parsed vintage as ISO text."""
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def compare(incoming: tuple[int, ...], stored: tuple[int, ...]) -> int:
    """-1 older, 0 the same (at the precision both state), 1 newer."""
    width = min(len(incoming), len(stored))
    a, b = incoming[:width], stored[:width]
    return (a > b) - (a < b)
