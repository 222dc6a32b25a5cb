"""The shipped statement data against the original text: verbatim, complete, consistent."""

from __future__ import annotations

from collections import Counter

from igf_explorer.check import check_data_dir, check_statement
from igf_explorer.original import parse_recommendation_sections
from igf_explorer.signatories import parse_signatory_block
from igf_explorer.statement import Statement
from igf_explorer.text import contains_verbatim, normalize_whitespace
from tests.conftest import DATA_DIR


def test_shipped_data_passes_every_check() -> None:
    assert check_data_dir(DATA_DIR) == []


def test_every_recommendation_is_verbatim(shipped_statement: Statement) -> None:
    for rec in shipped_statement.recommendations:
        assert contains_verbatim(shipped_statement.original_text, rec.text), rec.id


def test_addressee_counts_are_9_3_1_1(shipped_statement: Statement) -> None:
    counts = Counter(rec.addressee for rec in shipped_statement.recommendations)
    assert [counts[a.id] for a in shipped_statement.addressees] == [9, 3, 1, 1]
    assert len(shipped_statement.recommendations) == 14


def test_groups_match_the_bullets_under_each_heading(shipped_statement: Statement) -> None:
    sections = parse_recommendation_sections(shipped_statement.original_text)
    assert len(sections) == 4
    for addressee in shipped_statement.addressees:
        ours = [
            normalize_whitespace(r.text)
            for r in sorted(shipped_statement.recommendations, key=lambda r: r.order)
            if r.addressee == addressee.id
        ]
        assert ours == sections[addressee.heading]


def test_every_theme_is_used_and_the_required_ones_exist(shipped_statement: Statement) -> None:
    used = {t for rec in shipped_statement.recommendations for t in rec.themes}
    assert used == set(shipped_statement.theme_ids())
    required = {
        "access",
        "blocking",
        "due-process",
        "intermediary-liability",
        "privacy-surveillance",
        "safety",
        "anonymity",
        "surveillance-exports",
        "disinformation",
        "multistakeholder-governance",
        "corporate-responsibility",
        "human-rights-online",
    }
    assert required <= used


def test_seventeen_signatories_match_the_wrapped_table(shipped_statement: Statement) -> None:
    names = parse_signatory_block(shipped_statement.original_text)
    assert len(names) == 17
    assert [s.name for s in shipped_statement.signatories] == names
    assert "Community Empowerment for Progress Organization - CEPO, South Sudan" in names
    assert "Dr. Katy Pearce, Assistant Professor of Communication, University of Washington" in names


def test_two_signatories_have_unknown_origin(shipped_statement: Statement) -> None:
    unknown = [s.name for s in shipped_statement.signatories if not s.origin_known]
    assert unknown == ["Kamal Sedra, DISC Development", "Common Europe Foundation"]


def test_preamble_and_cited_documents_are_verbatim(shipped_statement: Statement) -> None:
    assert len(shipped_statement.preamble) == 5
    for paragraph in shipped_statement.preamble:
        assert contains_verbatim(shipped_statement.original_text, paragraph)
    ids = {d.id for d in shipped_statement.cited_documents}
    assert ids == {
        "fotn-2012",
        "a-hrc-17-27",
        "hrc-res-20-8",
        "joint-declaration-2011",
        "wcit-12",
        "udhr-art-19",
        "gni",
    }


def test_check_statement_notices_a_reworded_recommendation(shipped_statement: Statement) -> None:
    from dataclasses import replace

    changed = tuple(
        replace(r, text=r.text.replace("never hold", "should not hold")) if r.id == "gov-intermediaries" else r
        for r in shipped_statement.recommendations
    )
    problems = check_statement(replace(shipped_statement, recommendations=changed))
    assert any("gov-intermediaries" in p.message and p.column == "text" for p in problems)
