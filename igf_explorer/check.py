"""``igf-explorer check``: every rule the shipped data must satisfy, reported all at once."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from igf_explorer.comparison import check_comparisons
from igf_explorer.indicators import INDICATORS_DIR, Expectation, Periods, Registry, load_store
from igf_explorer.ingest.history import StoreWriteError, recover, verify_history
from igf_explorer.metadata import check_readme, check_sidecars
from igf_explorer.names import check_aliases
from igf_explorer.original import parse_recommendation_sections
from igf_explorer.problems import DataError, Problem
from igf_explorer.signatories import parse_signatory_block
from igf_explorer.slides import check_slides
from igf_explorer.statement import (
    METADATA_FILE,
    RECOMMENDATIONS_FILE,
    SIGNATORIES_FILE,
    STATEMENT_DIR,
    THEMES_FILE,
    Statement,
    load_statement,
)
from igf_explorer.text import contains_verbatim, normalize_whitespace

RECS_FILE = f"{STATEMENT_DIR}/{RECOMMENDATIONS_FILE}"


def _duplicates(values: list[str]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def check_statement(statement: Statement) -> list[Problem]:
    """Cross-checks: ids resolve, text is verbatim, groups and signatories match the original."""
    problems: list[Problem] = []
    original = statement.original_text
    theme_ids = set(statement.theme_ids())
    addressee_ids = {a.id for a in statement.addressees}

    for kind, file, ids in (
        ("recommendation", RECS_FILE, [r.id for r in statement.recommendations]),
        ("addressee", RECS_FILE, [a.id for a in statement.addressees]),
        ("theme", f"{STATEMENT_DIR}/{THEMES_FILE}", statement.theme_ids()),
        ("cited document", f"{STATEMENT_DIR}/{METADATA_FILE}", [d.id for d in statement.cited_documents]),
    ):
        problems.extend(Problem(file, f"duplicate {kind} id '{dup}'", column="id") for dup in _duplicates(ids))

    for row, rec in enumerate(statement.recommendations, start=1):
        if rec.addressee not in addressee_ids:
            problems.append(Problem(RECS_FILE, f"unknown addressee '{rec.addressee}'", row=row, column="addressee"))
        for theme_id in rec.themes:
            if theme_id not in theme_ids:
                problems.append(Problem(RECS_FILE, f"unknown theme '{theme_id}' in {rec.id}", row=row, column="themes"))
        if not contains_verbatim(original, rec.text):
            problems.append(
                Problem(
                    RECS_FILE,
                    f"text of {rec.id} does not occur verbatim in the original statement",
                    row=row,
                    column="text",
                )
            )

    used = {theme_id for rec in statement.recommendations for theme_id in rec.themes}
    for row, theme in enumerate(statement.themes, start=1):
        if theme.id not in used:
            problems.append(
                Problem(f"{STATEMENT_DIR}/{THEMES_FILE}", f"theme '{theme.id}' is used by no recommendation", row=row)
            )

    sections = parse_recommendation_sections(original)
    for addressee in statement.addressees:
        in_data = sorted((r for r in statement.recommendations if r.addressee == addressee.id), key=lambda r: r.order)
        orders = [r.order for r in in_data]
        if orders != list(range(1, len(in_data) + 1)):
            problems.append(
                Problem(
                    RECS_FILE, f"orders of '{addressee.id}' must run 1..{len(in_data)}, found {orders}", column="order"
                )
            )
        bullets = sections.get(normalize_whitespace(addressee.heading))
        if bullets is None:
            problems.append(
                Problem(RECS_FILE, f"heading '{addressee.heading}' is not in the original statement", column="heading")
            )
            continue
        texts = [normalize_whitespace(r.text) for r in in_data]
        if texts != bullets:
            problems.append(
                Problem(
                    RECS_FILE,
                    f"'{addressee.id}' has {len(texts)} recommendations; the original has {len(bullets)} under "
                    f"'{addressee.heading}' (or their order or wording differs)",
                    column="text",
                )
            )

    meta_file = f"{STATEMENT_DIR}/{METADATA_FILE}"
    for row, paragraph in enumerate(statement.preamble, start=1):
        if not contains_verbatim(original, paragraph):
            problems.append(
                Problem(
                    meta_file,
                    f"preamble paragraph {row} does not occur verbatim in the original",
                    row=row,
                    column="preamble",
                )
            )
    for row, doc in enumerate(statement.cited_documents, start=1):
        if not contains_verbatim(original, doc.mentioned_as):
            problems.append(
                Problem(
                    meta_file, f"'{doc.mentioned_as}' ({doc.id}) is not in the original", row=row, column="mentioned_as"
                )
            )

    expected = parse_signatory_block(original)
    sig_file = f"{STATEMENT_DIR}/{SIGNATORIES_FILE}"
    names = [s.name for s in statement.signatories]
    for row, name in enumerate(names, start=1):
        if name not in expected:
            problems.append(
                Problem(sig_file, f"'{name}' is not a signatory in the original statement", row=row, column="name")
            )
    for name in expected:
        if name not in names:
            problems.append(Problem(sig_file, f"signatory '{name}' of the original statement is missing"))
    return problems


def check_indicators(data_dir: Path, theme_ids: set[str] | None = None) -> list[Problem]:
    """Indicator files load and validate, name themes that exist, and hold what their sidecars expect."""
    try:
        store, registry = load_store(data_dir)
    except DataError as exc:
        return list(exc.problems)
    problems: list[Problem] = []
    company_rows = _company_rows(data_dir, registry, problems)
    if theme_ids is not None:
        from igf_explorer.links import check_links, load_links

        try:
            links = load_links(data_dir)
        except DataError as exc:
            problems.extend(exc.problems)
        else:
            every = {**registry.indicators, **registry.company_indicators}
            problems.extend(check_links(links, theme_ids, {i.id: i.themes for i in every.values()}))
    for dataset in (*registry.datasets, *registry.company_datasets):
        if not dataset.path.is_file():
            problems.append(
                Problem(
                    f"{INDICATORS_DIR}/{dataset.path.name}",
                    "is declared by a sidecar but missing; run igf-explorer ingest",
                )
            )
        for meta in dataset.indicators:
            unknown = [t for t in meta.themes if theme_ids is not None and t not in theme_ids]
            if unknown:
                problems.append(
                    Problem(
                        f"{INDICATORS_DIR}/{dataset.sidecar.path.name}",
                        f"indicator '{meta.id}' names unknown themes: {', '.join(unknown)}",
                        column="themes",
                    )
                )
    problems.extend(check_editions(store, registry))
    problems.extend(check_expectations(store, registry))
    if company_rows is not None:
        # The same expectations, keyed by company id: ``countries`` counts companies, ``figures`` names companies.
        problems.extend(check_expectations(company_rows.rename(columns={"company": "iso3"}), registry.companies_only))
    problems.extend(check_comparisons(registry))
    return problems


def _company_rows(data_dir: Path, registry: Registry, problems: list[Problem]) -> pd.DataFrame | None:
    """The stored company rows (validated against the company list), or None with their problems added."""
    from igf_explorer.indicators import load_company_store

    if not registry.company_datasets:
        return None  # no company dataset declared: the company list is not needed

    try:
        from igf_explorer.companies import load_companies

        companies = load_companies(data_dir)
        frame, _ = load_company_store(data_dir, registry, companies.ids)
    except DataError as exc:
        problems.extend(exc.problems)
        return None
    return frame


def check_editions(store: pd.DataFrame, registry: Registry) -> list[Problem]:
    """Every stored edition of a by-edition indicator has its published scale, and no more countries than its size."""
    problems: list[Problem] = []
    for dataset in registry.datasets:
        file = f"{INDICATORS_DIR}/{dataset.sidecar.path.name}"
        label = dataset.periods.label
        rows = store[store["indicator"].isin([i.id for i in dataset.indicators])]
        by_edition = [i.id for i in dataset.indicators if i.direction == "by_edition"]
        stored = sorted({int(y) for y in rows.loc[rows["indicator"].isin(by_edition), "year"]})
        problems.extend(
            Problem(
                file,
                f"{label} {year} is stored but has no entry in 'editions', so the scale it was published on is unknown",
                column=f"editions.{year}",
            )
            for year in stored
            if year not in dataset.editions
        )
        coverage = rows.groupby("year")["iso3"].nunique()
        for year, edition in dataset.editions.items():
            if edition.size is None:
                continue
            held = int(coverage.get(year, 0))
            if held > edition.size:
                problems.append(
                    Problem(
                        file,
                        f"{label} {year} holds {held} countries, more than the {edition.size} the producer assessed",
                        column=f"editions.{year}.size",
                    )
                )
    return problems


def check_expectations(store: pd.DataFrame, registry: Registry) -> list[Problem]:
    """What each sidecar's ``expect`` block says the stored rows hold, compared with them: a problem per mismatch."""
    problems: list[Problem] = []
    for dataset in registry.datasets:
        nouns = ("company has", "companies have") if dataset.kind == "company" else ("country has", "countries have")
        file = f"{INDICATORS_DIR}/{dataset.sidecar.path.name}"
        for indicator, expected in dataset.expect.items():
            rows = store[store["indicator"] == indicator]
            problems.extend(
                Problem(file, message, column=f"expect.{indicator}.{where}")
                for where, message in _mismatches(indicator, rows, expected, dataset.periods, nouns)
            )
    return problems


def _mismatches(
    indicator: str,
    rows: pd.DataFrame,
    expected: Expectation,
    periods: Periods,
    nouns: tuple[str, str] = ("country has", "countries have"),
) -> Iterator[tuple[str, str]]:
    """(path within the expectation, message) for each way one indicator's rows differ from what is expected."""
    label = periods.label
    countries = rows.groupby("year")["iso3"].nunique()
    if expected.periods is not None:
        first, last = expected.periods
        wanted = {y for y in range(first, last + 1) if y not in periods.skipped}
        held = {int(y) for y in countries.index}
        for year in sorted(wanted - held):
            yield "periods", f"{indicator}: no figures for {label} {year} (expected every {label} {first}–{last})"
        for year in sorted(held - wanted):
            yield "periods", f"{indicator}: {label} {year} is stored, outside the expected {first}–{last}"
    for year, count in expected.countries.items():
        found = int(countries.get(year, 0))
        if found != count:
            have = nouns[0] if found == 1 else nouns[1]
            yield f"countries.{year}", f"{indicator}, {label} {year}: {found} {have} a figure; expected {count}"
    sums = rows.groupby("year")["value"].sum()
    for year, total in expected.sums.items():
        found_sum = float(sums.get(year, 0.0))
        if not math.isclose(found_sum, total):
            yield (
                f"sums.{year}",
                f"{indicator}, {label} {year}: the figures add up to {found_sum:g}; expected {total:g}",
            )
    if expected.value_counts:
        counts = rows["value"].value_counts()
        # The counts given are the whole vocabulary: a value they do not name is expected in no row.
        for value in sorted(set(counts.index) | set(expected.value_counts)):
            found, count = int(counts.get(value, 0)), expected.value_counts.get(value, 0)
            if found != count:
                yield "value_counts", f"{indicator}: {found} rows have the value {value:g}; expected {count}"
    for year, figures in expected.figures.items():
        stored = rows[rows["year"] == year].set_index("iso3")["value"]
        for iso3, value in figures.items():
            if iso3 not in stored.index:
                yield f"figures.{year}.{iso3}", f"{indicator}, {label} {year}: no figure for {iso3}; expected {value:g}"
            elif not math.isclose(float(stored[iso3]), value):
                yield (
                    f"figures.{year}.{iso3}",
                    f"{indicator}, {label} {year}: {iso3} is {float(stored[iso3]):g}; expected {value:g}",
                )
    for year, texts in expected.notes.items():
        notes = rows[rows["year"] == year].set_index("iso3")["note"]
        for iso3, text in texts.items():
            if iso3 not in notes.index:
                yield (
                    f"notes.{year}.{iso3}",
                    f"{indicator}, {label} {year}: no row for {iso3}; expected a note saying '{text}'",
                )
            elif not re.search(re.escape(text) + r"(?![\d,.]*\d)", str(notes[iso3])):  # "54" is not "541"
                yield (
                    f"notes.{year}.{iso3}",
                    f"{indicator}, {label} {year}: {iso3}'s note does not say '{text}' (it says '{notes[iso3]}')",
                )


def check_data_dir(data_dir: Path) -> list[Problem]:
    """Everything wrong with a data directory; an empty list means it is fit to ship."""
    if not data_dir.is_dir():
        return [Problem(str(data_dir), "data directory does not exist")]
    try:
        # Finishes or undoes a commit that was killed midway, so the check judges the store as readers will see it.
        recover(data_dir, timeout=0)
    except StoreWriteError:
        pass  # a commit is running (its folders are not leftovers) or the folder is read-only: check as it is
    problems: list[Problem] = []
    theme_ids = None
    statement: Statement | None = None
    try:
        statement = load_statement(data_dir)
    except DataError as exc:
        problems.extend(exc.problems)
    else:
        problems.extend(check_statement(statement))
        theme_ids = set(statement.theme_ids())
    problems.extend(check_indicators(data_dir, theme_ids))
    problems.extend(check_slides(data_dir, statement))
    problems.extend(check_sidecars(data_dir))
    problems.extend(check_readme(data_dir))
    problems.extend(verify_history(data_dir))
    problems.extend(check_aliases(data_dir))
    return problems
