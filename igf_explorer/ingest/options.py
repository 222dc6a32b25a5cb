"""What the maintainer tells an ingest: the same choices on the command line and on the Data page's form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Replace = Literal["none", "edition", "series"]
REPLACE_CHOICES: tuple[Replace, ...] = ("none", "edition", "series")
Scale = Literal["higher_is_freer", "lower_is_freer"]


@dataclass(frozen=True)
class Options:
    """The choices an ingest takes besides the file.

    ``replace`` is the merge rule: ``"none"`` adds and updates rows and removes nothing; ``"edition"`` also removes
    the dataset's stored rows of the periods the file covers that the file does not hold; ``"series"`` those of the
    whole dataset. ``allow_older`` lets an older vintage replace a newer one. ``vintage`` states the vintage of a file
    that does not state it itself; ``scale`` the scale of a FOTN file that carries neither statuses nor a scale.
    """

    indicator: str | None = None
    edition: int | None = None
    years: tuple[int, int] | None = None
    replace: Replace = "none"
    allow_older: bool = False
    vintage: str | None = None
    scale: Scale | None = None
