"""How a dataset's figures may be compared across time: its sidecar's optional ``comparison`` block, typed.

The scorecard (:mod:`igf_explorer.views.since2012`) counts a change within ``held_within`` (on the display scale)
as "held", never scores a comparison across a break that is not ``comparable``, and says why a dataset is not
scored at all when ``not_scored`` gives a reason. ``igf-explorer check`` reports every problem of every block,
located by file and field.

.. code-block:: yaml

    comparison:
      held_within: 2          # or per indicator: {fotn_total: 2, fotn_limits: 1}
      note: why the band is what it is
      absent_counts_as: 0     # event counts: a period without a row recorded none
      not_scored: one period only (a reason shown instead of counts)
      breaks:
        - period: 2019
          comparable: true
          note: Freedom House inverted the scale in 2019; both periods are compared on today's scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, StringConstraints, ValidationError

from igf_explorer.indicators import INDICATORS_DIR, DatasetMeta, Registry, validation_problems
from igf_explorer.problems import Problem

FIELD = "comparison"
Text = Annotated[str, StringConstraints(min_length=1)]
_MODEL = ConfigDict(frozen=True, extra="forbid")


class Break(BaseModel):
    """A change of method from ``period`` on; a comparison spanning it is scored only when ``comparable``."""

    model_config = _MODEL

    period: int
    comparable: bool
    note: Text


class Comparison(BaseModel):
    """A dataset's rules for comparing two periods (the defaults: any change counts, no break, every period)."""

    model_config = _MODEL

    held_within: NonNegativeFloat | Mapping[str, NonNegativeFloat] = 0.0
    note: str = ""
    absent_counts_as: float | None = None
    not_scored: str = ""
    breaks: tuple[Break, ...] = Field(default=())

    def band(self, indicator: str) -> float:
        """The largest change, either way, that counts as "held" for an indicator."""
        if isinstance(self.held_within, Mapping):
            return float(self.held_within.get(indicator, 0.0))
        return float(self.held_within)

    def crossed(self, start: int, end: int) -> tuple[Break, ...]:
        """The breaks between two periods: a method that changed after ``start`` and by ``end``."""
        return tuple(b for b in sorted(self.breaks, key=lambda b: b.period) if start < b.period <= end)


def _file(dataset: DatasetMeta) -> str:
    return f"{INDICATORS_DIR}/{dataset.sidecar.path.name}"


def parse_comparison(dataset: DatasetMeta) -> tuple[Comparison, list[Problem]]:
    """The dataset's comparison rules and the problems of its block (with problems, the defaults and not scored).

    Examples
    --------
    A dataset without a ``comparison`` block gets the defaults: a change of any size counts, no break.
    """
    raw: Any = dataset.field(FIELD)
    if raw is None:
        return Comparison(), []
    file = _file(dataset)
    if not isinstance(raw, Mapping):
        problems = [Problem(file, "expected a mapping (held_within, note, absent_counts_as, not_scored, breaks)")]
        return Comparison(not_scored="its comparison block is invalid (run igf-explorer check)"), problems
    try:
        comparison = Comparison.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(p.file, p.message, row=p.row, column=f"{FIELD}.{p.column}" if p.column else FIELD)
            for p in validation_problems(exc, file)
        ]
        return Comparison(not_scored="its comparison block is invalid (run igf-explorer check)"), problems
    problems = []
    own = {i.id for i in dataset.indicators}
    if isinstance(comparison.held_within, Mapping):
        problems.extend(
            Problem(
                file, f"held_within names '{name}', which the sidecar does not declare", column=f"{FIELD}.held_within"
            )
            for name in sorted(set(comparison.held_within) - own)
        )
    periods = [b.period for b in comparison.breaks]
    problems.extend(
        Problem(file, f"break {period} is given more than once", column=f"{FIELD}.breaks")
        for period in sorted({p for p in periods if periods.count(p) > 1})
    )
    if problems:
        return Comparison(not_scored="its comparison block is invalid (run igf-explorer check)"), problems
    return comparison, []


def check_comparisons(registry: Registry) -> list[Problem]:
    """Every problem of every dataset's ``comparison`` block, country and company datasets alike."""
    problems: list[Problem] = []
    for dataset in (*registry.datasets, *registry.company_datasets):
        problems.extend(parse_comparison(dataset)[1])
    return problems
