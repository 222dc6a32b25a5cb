"""Companies as a kind of entity beside countries: the company list, strict name resolution, and the company store.

``data/companies/companies.yaml`` lists every company a company dataset may name: a stable ``id`` (a slug, used in
the stored rows and in URLs), its ``name``, the ``aliases`` producers write (RDR's "AmericaMovil", the GNI table's
"Telenor Group"), its headquarters country (``hq_iso3``, or null when no source gives it: never guessed), its
``kind`` (platform, telco or other) and the ``source`` of those facts. Names are resolved strictly: the name or a
listed alias, compared after case folding and whitespace folding only, never by similarity.

:class:`CompanyStore` is the only code that indexes the stored company rows (as
:class:`igf_explorer.indicator_store.IndicatorStore` is for countries); it is built once per data version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, field_validator

from igf_explorer.indicators import (
    COMPANY_TIDY_COLUMNS,
    IndicatorMeta,
    Registry,
    empty_company_store,
    is_economy_code,
    load_company_store,
    validation_problems,
)
from igf_explorer.problems import DataError, Problem
from igf_explorer.yamlio import read_yaml

COMPANIES_FILE = "companies/companies.yaml"
CompanyKind = Literal["platform", "telco", "other"]
KIND_LABELS: Mapping[str, str] = {
    "platform": "digital platform",
    "telco": "telecommunications company",
    "other": "other company",
}
CompanyId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1)]


def canonical_name(name: str) -> str:
    """A company name as names are compared: whitespace folded, case folded; nothing else."""
    return " ".join(str(name).split()).casefold()


class Company(BaseModel):
    """One company: its id, name, the spellings producers use, headquarters (or unknown), kind and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: CompanyId
    name: Text
    aliases: tuple[Text, ...] = ()
    hq_iso3: str | None  # required, but may be null: unknown, never guessed
    kind: CompanyKind
    source: Text
    note: str = ""

    @field_validator("hq_iso3")
    @classmethod
    def _iso3(cls, code: str | None) -> str | None:
        if code is not None and not is_economy_code(code):
            raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 code (use null when the headquarters is unknown)")
        return code

    @property
    def spellings(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class CompanyResolution:
    """What a producer's company name became: a company id, or nothing (``how`` is ``unknown``)."""

    name: str
    company: str | None
    how: Literal["name", "alias", "unknown"]


@dataclass(frozen=True)
class Companies:
    """The company list, by id and by every spelling."""

    items: tuple[Company, ...]

    @cached_property
    def by_id(self) -> Mapping[str, Company]:
        """Companies by id."""
        return {c.id: c for c in self.items}

    @cached_property
    def ids(self) -> frozenset[str]:
        """Every company id."""
        return frozenset(self.by_id)

    @cached_property
    def _spellings(self) -> Mapping[str, tuple[str, str]]:
        table: dict[str, tuple[str, str]] = {}
        for company in self.items:
            table[canonical_name(company.name)] = (company.id, "name")
            for alias in company.aliases:
                table.setdefault(canonical_name(alias), (company.id, "alias"))
        return table

    def get(self, company_id: str) -> Company | None:
        """The company with this id, or None."""
        return self.by_id.get(company_id)

    def resolve(self, name: str) -> CompanyResolution:
        """A producer's name as a company: its exact name or a listed alias (case and spaces aside), else unknown."""
        found = self._spellings.get(canonical_name(name))
        if found is None:
            return CompanyResolution(name, None, "unknown")
        return CompanyResolution(name, found[0], "name" if found[1] == "name" else "alias")

    def resolve_all(self, names: Iterable[str]) -> dict[str, CompanyResolution]:
        """Every distinct name resolved."""
        return {name: self.resolve(name) for name in dict.fromkeys(names)}

    def name_of(self, company_id: str) -> str:
        """A company's name, or the id itself when it is not listed."""
        company = self.by_id.get(company_id)
        return company.name if company is not None else company_id


def load_companies(data_dir: Path) -> Companies:
    """Read ``data/companies/companies.yaml``.

    Raises
    ------
    DataError
        With every problem at once, each located by file, row (the company's position) and column (the field):
        a malformed entry, a duplicate id, or a spelling that two companies share.
    """
    problems: list[Problem] = []
    doc: Any = read_yaml(data_dir / COMPANIES_FILE, problems, display_name=COMPANIES_FILE)
    if problems:
        raise DataError(problems)
    items = doc.get("companies") if isinstance(doc, Mapping) else None
    if not isinstance(items, list):
        raise DataError([Problem(COMPANIES_FILE, "expected a list under 'companies'")])
    companies: list[Company] = []
    rows: list[int] = []
    for row, item in enumerate(items, start=1):
        try:
            companies.append(Company.model_validate(item))
            rows.append(row)
        except ValidationError as exc:
            for problem in validation_problems(exc, COMPANIES_FILE):
                ident = item.get("id") if isinstance(item, Mapping) else None
                prefix = f"company '{ident}': " if ident else ""
                problems.append(Problem(COMPANIES_FILE, prefix + problem.message, row=row, column=problem.column))
    seen: dict[str, int] = {}
    spelled: dict[str, tuple[str, int]] = {}
    for row, company in zip(rows, companies, strict=True):
        if company.id in seen:
            problems.append(
                Problem(
                    COMPANIES_FILE,
                    f"duplicate company id '{company.id}' (first at row {seen[company.id]})",
                    row=row,
                    column="id",
                )
            )
        seen.setdefault(company.id, row)
        for spelling in dict.fromkeys(canonical_name(s) for s in company.spellings):
            other = spelled.get(spelling)
            if other is not None and other[0] != company.id:
                problems.append(
                    Problem(
                        COMPANIES_FILE,
                        f"the spelling '{spelling}' belongs to both '{other[0]}' (row {other[1]}) and '{company.id}'",
                        row=row,
                        column="aliases",
                    )
                )
            spelled.setdefault(spelling, (company.id, row))
    if problems:
        raise DataError(problems)
    return Companies(tuple(companies))


def slug(name: str) -> str:
    """A company id from a name: lower case, runs of other characters as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


class CompanyStore:
    """Every stored company row, indexed by indicator and by company, with the registry and the company list.

    Answers are shared read-only frames; callers copy before changing them.
    """

    def __init__(self, frame: pd.DataFrame, registry: Registry, companies: Companies):
        self.registry = registry
        self.companies = companies
        self._frame = frame.sort_values(["indicator", "company", "year"], kind="stable").reset_index(drop=True)
        self._by_indicator: dict[str, pd.DataFrame] = {
            str(indicator): rows for indicator, rows in self._frame.groupby("indicator", sort=False)
        }

    @property
    def indicators(self) -> Mapping[str, IndicatorMeta]:
        """Company indicators by id, in sidecar order."""
        return self.registry.company_indicators

    def indicator(self, indicator_id: str) -> IndicatorMeta:
        """The company indicator with this id."""
        return self.registry.company_indicators[indicator_id]

    # --- one indicator ---------------------------------------------------------------------------------------------

    def rows(self, indicator: str) -> pd.DataFrame:
        """Every row of one indicator, as stored."""
        return self._by_indicator.get(indicator, _EMPTY)

    def periods(self, indicator: str) -> list[int]:
        """Periods with at least one figure."""
        return sorted(int(y) for y in self.rows(indicator)["year"].unique())

    def coverage(self, indicator: str) -> pd.Series:
        """Companies with a figure, per period."""
        rows = self.rows(indicator)
        if rows.empty:
            return pd.Series(dtype="int64")
        return rows.groupby("year")["company"].nunique().sort_index()

    def latest(self, indicator: str) -> pd.DataFrame:
        """Each company's latest row of one indicator (its period may differ from company to company)."""
        rows = self.rows(indicator)
        if rows.empty:
            return rows
        return rows.loc[rows.groupby("company")["year"].idxmax()].sort_values("company").reset_index(drop=True)

    def period_slice(self, indicator: str, year: int) -> pd.DataFrame:
        """One period's rows of one indicator."""
        rows = self.rows(indicator)
        return rows[rows["year"] == year]

    # --- one company ----------------------------------------------------------------------------------------------

    @cached_property
    def _by_company(self) -> dict[str, pd.DataFrame]:
        return {str(company): rows for company, rows in self._frame.groupby("company", sort=False)}

    def company_rows(self, company: str, indicators: Sequence[str] | None = None) -> pd.DataFrame:
        """A company's rows (of some indicators), by indicator and period."""
        rows = self._by_company.get(company, _EMPTY)
        return rows if indicators is None else rows[rows["indicator"].isin(list(indicators))]

    def series(self, company: str, indicator: str) -> pd.DataFrame:
        """One indicator's figures for a company over time, as stored."""
        rows = self.company_rows(company)
        return rows[rows["indicator"] == indicator].sort_values("year")

    @cached_property
    def with_data(self) -> frozenset[str]:
        """Every company with at least one figure."""
        return frozenset(self._by_company)

    def tidy(self, indicators: Sequence[str]) -> pd.DataFrame:
        """The stored rows of some indicators in the stored format (for downloads and exports)."""
        frames = [self.rows(i) for i in indicators if i in self._by_indicator]
        if not frames:
            return empty_company_store()
        return pd.concat(frames, ignore_index=True).loc[:, list(COMPANY_TIDY_COLUMNS)]


_EMPTY = empty_company_store()


def load_company_data(data_dir: Path, registry: Registry | None = None) -> CompanyStore:
    """The company list and every stored company row, validated, as one store.

    Raises
    ------
    DataError
        With every problem of the company list or of the company files.
    """
    companies = load_companies(data_dir)
    frame, registry = load_company_store(data_dir, registry, companies.ids)
    return CompanyStore(frame, registry, companies)


def company_ids(data_dir: Path) -> frozenset[str]:
    """The ids a ``?company=`` link may name: every listed company (none when the list is missing or broken)."""
    try:
        return load_companies(data_dir).ids
    except DataError:
        return frozenset()  # the Companies page shows the list's problems; a link then names no company
