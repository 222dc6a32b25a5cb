"""The presenter's deck: the typed model, every problem of a broken deck located in one pass, and the view models
built from a small fixture store (tests/fixtures/store, made-up values), never from the shipped figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from igf_explorer.check import check_data_dir
from igf_explorer.comparison import parse_comparison
from igf_explorer.geometry import load_geometry
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_store
from igf_explorer.links import load_links
from igf_explorer.problems import DataError
from igf_explorer.slides import SLIDES_FILE, SlideVocabulary, load_slides, read_slides, slide_vocabulary
from igf_explorer.statement import load_statement
from igf_explorer.views import ExplorerData
from igf_explorer.views.recommendation import change_between
from igf_explorer.views.slides import SlideView, build_deck, build_slide_view, slide_position
from tests.conftest import DATA_DIR, FIXTURES

BROKEN = FIXTURES / "slides_broken.yaml"
SMALL = FIXTURES / "slides_small.yaml"


@pytest.fixture(scope="module")
def data() -> ExplorerData:
    return ExplorerData(
        load_statement(DATA_DIR),
        IndicatorStore(*load_store(FIXTURES / "store")),
        load_links(DATA_DIR),
        load_geometry(DATA_DIR),
    )


@pytest.fixture(scope="module")
def vocabulary(data: ExplorerData) -> SlideVocabulary:
    return slide_vocabulary(data.statement, data.store, data.links)


@pytest.fixture(scope="module")
def deck(data: ExplorerData, vocabulary: SlideVocabulary) -> tuple[SlideView, ...]:
    slides, problems = read_slides(SMALL, vocabulary, "slides_small.yaml")
    assert problems == []
    return build_deck(data, slides, height=400)


def test_every_problem_of_a_broken_deck_is_located_in_one_pass(vocabulary: SlideVocabulary) -> None:
    slides, problems = read_slides(BROKEN, vocabulary, "slides_broken.yaml")
    located = {(p.row, p.column) for p in problems}
    expected = {
        (2, "kind"),  # unknown kind
        (3, "addressee"),  # unknown addressee
        (4, "notes"),  # missing notes …
        (4, "recommendations"),  # … and a recommendation of another group, in the same pass
        (5, "theme"),  # unknown theme
        (5, "indicator"),  # unknown indicator
        (6, "indicator"),  # measures none of the slide's themes
        (7, "indicator"),  # a single period: nothing to compare
        (7, "end"),  # a year without figures
        (8, "indicator"),  # a since slide needs one
        (8, "addressee"),  # not a since slide's field
        (8, "note"),  # misspelt
        (9, "title"),  # a map slide needs a title
        (9, "region"),  # unknown region
        (9, "start"),  # not a map slide's field
        (10, None),  # not a mapping
        (11, "start"),  # start after end
        (12, "link"),  # another host
        (13, "link"),  # not a page
        (14, "link"),  # a parameter the page does not read
        (15, "link"),  # a share slide needs one
    }
    assert expected <= located, expected - located
    assert all(p.file == "slides_broken.yaml" for p in problems)
    assert all(p.row is not None and p.message.startswith(f"slide {p.row}:") for p in problems)
    assert len(slides) < 15  # those with a shape error are not returned
    messages = "\n".join(str(p) for p in problems)
    assert "unknown addressee 'nobody'" in messages and "unknown theme 'no-such-theme'" in messages
    assert "'gov-blocking' is addressed to 'governments', not 'companies'" in messages
    assert "slides_broken.yaml, row 4, column 'notes'" in messages
    assert "/signatories does not read 'indicator'" in messages and "'/nowhere' is not a page" in messages


def test_a_share_slide_carries_its_link_and_no_figure(data: ExplorerData, vocabulary: SlideVocabulary) -> None:
    spec = {"kind": "share", "title": "Scan", "link": "/map?theme=blocking&region=africa", "notes": "Scan it."}
    slides, problems = read_slides(_deck_file([spec]), vocabulary, "one.yaml")
    assert problems == []
    slide = build_slide_view(data, slides, 1)
    assert slide.link == "/map?theme=blocking&region=africa" and slide.figure is None
    assert "phone" in slide.subtitle


def _deck_file(slides: list[dict[str, str]]) -> Path:
    import tempfile

    import yaml

    path = Path(tempfile.mkdtemp()) / "deck.yaml"
    path.write_text(yaml.safe_dump({"slides": slides}), encoding="utf-8")
    return path


def test_without_a_vocabulary_only_the_shape_is_checked() -> None:
    _, problems = read_slides(BROKEN, None, "slides_broken.yaml")
    located = {(p.row, p.column) for p in problems}
    assert (2, "kind") in located and (4, "notes") in located and (8, "note") in located
    assert (3, "addressee") not in located  # an id can only be judged against the data


def test_the_shipped_deck_is_valid_and_check_reports_a_broken_one(data_copy: Path) -> None:
    assert load_slides(
        DATA_DIR,
        slide_vocabulary(load_statement(DATA_DIR), IndicatorStore(*load_store(DATA_DIR)), load_links(DATA_DIR)),
    )
    shutil.copy(BROKEN, data_copy / SLIDES_FILE)
    problems = [p for p in check_data_dir(data_copy) if p.file == SLIDES_FILE]
    assert {p.row for p in problems} >= set(range(2, 12))
    with pytest.raises(DataError):
        load_slides(data_copy, None)


def test_a_missing_deck_is_a_problem(data_copy: Path) -> None:
    (data_copy / SLIDES_FILE).unlink()
    (data_copy / "slides" / "slides.meta.yml").unlink()
    assert any(p.file == SLIDES_FILE and "missing" in p.message for p in check_data_dir(data_copy))


def test_the_title_slide_takes_its_words_and_counts_from_the_data(
    deck: tuple[SlideView, ...], data: ExplorerData
) -> None:
    title = deck[0]
    statement = data.statement
    assert title.title == statement.title and title.counter == f"1 / {len(deck)}"
    assert "Baku" in title.subtitle and "6–9 November 2012" in title.subtitle
    numbers = dict(title.numbers)
    assert numbers["Recommendations"] == str(len(statement.recommendations))
    for addressee in statement.addressees:
        expected = sum(r.addressee == addressee.id for r in statement.recommendations)
        assert numbers[addressee.label] == str(expected)
    assert title.figure is None and title.next_title == "Who signed" and title.previous_title is None


def test_the_signatories_slide_maps_them_and_names_the_unknown(deck: tuple[SlideView, ...]) -> None:
    shown = deck[1].figure
    assert shown is not None and shown.figure.layout.height == 400
    assert len(shown.table) == 17 and shown.source.startswith("signatory research")
    assert any("Origin unknown" in line and "Common Europe Foundation" in line for line in deck[1].missing)


def test_a_recommendations_slide_quotes_verbatim_and_maps_its_measure(
    deck: tuple[SlideView, ...], data: ExplorerData
) -> None:
    slide = deck[2]
    access = data.statement.recommendation("gov-access")
    assert access is not None
    assert [q.text for q in slide.quotes] == [access.text] and slide.quotes[0].label == "1 of 9"
    assert slide.figure is not None and slide.figure.source.startswith("World Bank")
    assert "2020" in slide.figure.table_caption  # the best-covered year of the fixture store
    assert slide.figure.facts == (
        "Countries with a figure: 8 of " + str(len(slide.figure.table) + sum(len(c) for _, c in slide.figure.absent)),
    )


def test_an_unmeasured_theme_is_said_never_proxied(deck: tuple[SlideView, ...]) -> None:
    companies = deck[3]
    assert len(companies.quotes) == 3 and companies.subtitle.endswith("all 3")
    assert any(line.startswith("Corporate responsibility: not measured") for line in companies.missing)


def test_the_since_slide_uses_the_change_between_2012_and_the_latest(
    deck: tuple[SlideView, ...], data: ExplorerData
) -> None:
    slide = deck[4]
    change = change_between(data, "fotn_total", 2012, 2025, None)
    assert slide.figure is not None and len(slide.figure.table) == len(change)
    # The Since 2012 page's moves: beyond the dataset's held band (Freedom on the Net: 2 points) either way.
    band = parse_comparison(data.store.registry.dataset_of("fotn_total"))[0].band("fotn_total")
    assert band == 2
    fell, rose = int((change["change"] < -band).sum()), int((change["change"] > band).sum())
    assert dict(slide.numbers) == {"Declined": str(fell), "Improved": str(rose), "Held": str(len(change) - fell - rose)}
    assert "Held: a change of at most 2 either way, as on the Since 2012 page." in slide.figure.notes
    assert "2012 edition to the 2025 edition" in slide.subtitle
    assert slide.figure.source.startswith("Freedom House")


def test_every_figure_has_a_source_a_text_alternative_and_a_table(deck: tuple[SlideView, ...]) -> None:
    for slide in deck:
        assert slide.notes and slide.title
        if slide.figure is not None:
            assert slide.figure.source and len(slide.figure.alt) > 40 and slide.figure.table_caption
            assert slide.figure.figure.layout.height == 400


def test_one_slide_is_the_same_as_the_deck_s(data: ExplorerData, vocabulary: SlideVocabulary) -> None:
    slides, _ = read_slides(SMALL, vocabulary)
    alone = build_slide_view(data, slides, 6, height=400)
    assert alone.title == "Shutdowns" and alone.next_title is None and alone.previous_title == "Since 2012"
    assert alone.figure is not None and "2022" in alone.figure.table_caption


@pytest.mark.parametrize(
    ("asked", "shown", "notice"),
    [(None, 1, False), (1, 1, False), (12, 12, False), (13, 12, True), (999, 12, True), (0, 1, True)],
)
def test_an_out_of_range_slide_gives_the_nearest_with_a_notice(asked: int | None, shown: int, notice: bool) -> None:
    number, text = slide_position(asked, 12)
    assert number == shown and (text is not None) == notice
    if text:
        assert f"no slide {asked}" in text and f"slide {shown}" in text
