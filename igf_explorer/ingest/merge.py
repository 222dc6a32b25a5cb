"""Merging incoming tidy rows into a stored dataset, by the one rule the maintainer chose, and the diff it makes.

By default an ingest adds new rows and updates existing ones and removes nothing; ``replace="edition"`` also removes
the dataset's stored rows of the periods the file covers that the file does not hold, ``replace="series"`` those
of the whole dataset. Whatever would go is in the diff, so a dry run shows it before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from igf_explorer.indicators import KEY
from igf_explorer.ingest.options import Replace

COMPARED = ("value", "status", "note", "source")
_TEXT = ("iso3", "indicator", "status", "note", "source")


@dataclass(frozen=True)
class Diff:
    """How the incoming rows compare with the stored rows they meet."""

    added: pd.DataFrame  # key + value
    removed: pd.DataFrame  # key + value
    changed: pd.DataFrame  # key + old_* and new_* for every compared field + 'fields' (those that differ)
    unchanged: int


def _keys(frame: pd.DataFrame, key: list[str] = KEY) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[key].astype({key[0]: str, "year": "int64", "indicator": str}))


def replaced_rows(current: pd.DataFrame, incoming: pd.DataFrame, replace: Replace, key: list[str] = KEY) -> pd.Series:
    """The stored rows of the dataset that the incoming rows replace: same keys, or also their periods or all.

    ``key`` is the row key: ``KEY`` (iso3, year, indicator) for countries, ``COMPANY_KEY`` for companies.
    """
    if current.empty:
        return pd.Series(False, index=current.index, dtype=bool)
    if replace == "series":
        return pd.Series(True, index=current.index, dtype=bool)
    if replace == "edition":
        return current["year"].isin(set(incoming["year"].astype(int)))
    return pd.Series(_keys(current, key).isin(_keys(incoming, key)), index=current.index, dtype=bool)


def diff_rows(old: pd.DataFrame, new: pd.DataFrame, key: list[str] = KEY) -> Diff:
    """Added, removed, changed (naming the fields that differ) and unchanged rows between two tidy frames."""
    if old.empty:
        return Diff(new[key + ["value"]], old[key + ["value"]], _no_changes(key), 0)
    text = (key[0], *_TEXT[1:])
    old = old.astype(dict.fromkeys(text, str))
    new = new.astype(dict.fromkeys(text, str))
    both_sides = old.merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    added = both_sides[both_sides["_merge"] == "right_only"]
    removed = both_sides[both_sides["_merge"] == "left_only"]
    both = both_sides[both_sides["_merge"] == "both"]
    differing: dict[str, pd.Series] = {}
    for column in COMPARED:
        left, right = both[f"{column}_old"], both[f"{column}_new"]
        if column == "value":
            differing[column] = ~((left == right) | (left.isna() & right.isna()))
        else:
            differing[column] = left.fillna("") != right.fillna("")
    any_change = pd.concat(differing, axis=1).any(axis=1) if len(both) else pd.Series(dtype=bool)
    changed = both[any_change].copy()
    changed["fields"] = [",".join(c for c in COMPARED if differing[c].loc[index]) for index in changed.index]
    return Diff(
        added=added[key + ["value_new"]].rename(columns={"value_new": "value"}),
        removed=removed[key + ["value_old"]].rename(columns={"value_old": "value"}),
        changed=changed[key + [f"{c}_{s}" for c in COMPARED for s in ("old", "new")] + ["fields"]],
        unchanged=int(len(both) - len(changed)),
    )


def _no_changes(key: list[str] = KEY) -> pd.DataFrame:
    return pd.DataFrame(columns=key + [f"{c}_{s}" for c in COMPARED for s in ("old", "new")] + ["fields"])


def merge(
    current: pd.DataFrame, incoming: pd.DataFrame, replace: Replace, key: list[str] = KEY
) -> tuple[pd.DataFrame, Diff]:
    """The dataset as it will be stored, and the diff against what is stored now (rows keyed by ``key``)."""
    replaced = replaced_rows(current, incoming, replace, key)
    diff = diff_rows(current[replaced], incoming, key)
    kept = current[~replaced]
    merged = pd.concat([kept, incoming], ignore_index=True) if len(kept) else incoming.reset_index(drop=True)
    return merged, diff
