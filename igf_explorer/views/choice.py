"""The one rule for a link's impossible values, applied the same way on every page.

An indicator that does not measure the chosen themes gives way to the first that does; a period without data to
the best-covered one; and the view says so when the value came from a link. Notices are plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from igf_explorer.indicators import Registry


@dataclass(frozen=True)
class Choice:
    """The indicator and period a view shows, and why a requested one was replaced."""

    indicator: str | None
    year: int | None
    notices: tuple[str, ...]


def choose_indicator(linked: Sequence[str], asked: str | None, registry: Registry) -> Choice:
    """The asked indicator when it measures the themes, else the first that does (with a notice)."""
    if asked in linked:
        return Choice(asked, None, ())
    notices: tuple[str, ...] = ()
    if asked is not None and asked in registry.indicators:
        notices = (
            f"{registry.indicator(asked).short_name} does not measure the chosen themes; "
            f"showing {registry.indicator(linked[0]).short_name}.",
        )
    return Choice(linked[0], None, notices)


def choose_period(
    choice: Choice, periods: Sequence[int], asked: int | None, best: int | None, name: str, explain: bool
) -> Choice:
    """The asked period when it has data, else the best-covered one (with a notice when one was asked for)."""
    if asked in periods:
        return replace(choice, year=asked)
    notices = choice.notices
    if explain and asked is not None:
        notices += (f"{name} has no figures for {asked}; showing {best}.",)
    return replace(choice, year=best, notices=notices)
