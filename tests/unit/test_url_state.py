"""The URL codec: one parameter table, an exact round trip, capped and strictly parsed values, markup-free notices."""

from __future__ import annotations

import dataclasses
import re
import string
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from igf_explorer.registry import PAGE_SPECS
from igf_explorer.statement import Statement, load_statement
from igf_explorer.url_state import (
    ECHO_CHARS,
    LISTED_VOCABULARY,
    MAX_QUERY_CHARS,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    PARAMS,
    Echo,
    Notice,
    ViewOptions,
    ViewState,
    Vocabulary,
    build_vocabulary,
    carried_by,
    decode,
    encode,
    flatten,
    notice_markdown,
    param,
    read_by,
    resolve,
    session_from_view,
    view_from_session,
)
from tests.conftest import DATA_DIR, REPO_ROOT

VOCAB: Vocabulary = build_vocabulary(
    load_statement(DATA_DIR), ["fotn_total", "internet_users", "shutdowns"], ["google", "meta", "vodafone"]
)
HOSTILE = [
    "![x](http://198.51.100.7/beacon.png)",
    "[click](javascript:alert(1))",
    ":red[styled]",
    "$\\href{http://198.51.100.7}{x}$",
]


# --- the table --------------------------------------------------------------------------------------------------


def test_every_view_field_is_declared_once() -> None:
    assert sorted(p.field for p in PARAMS) == sorted(f.name for f in dataclasses.fields(ViewState))
    assert len({p.name for p in PARAMS}) == len({p.session_key for p in PARAMS}) == len(PARAMS)


@pytest.mark.parametrize("p", PARAMS, ids=[p.name for p in PARAMS])
def test_each_parameter_is_complete(p) -> None:
    assert {p.field, p.session_key, p.noun} and p.kind in ("one", "many", "text", "int", "number", "flag")
    assert set(p.pages) <= {s.url_path for s in PAGE_SPECS}, "a page that does not exist"
    if p.kind in ("one", "many"):
        assert p.vocabulary in {f.name for f in dataclasses.fields(Vocabulary)}
        assert p.hint, "a vocabulary may outgrow the list a notice shows"
    # The widget's "nothing chosen" value decodes to the view's default.
    field_default = next(f.default for f in dataclasses.fields(ViewState) if f.name == p.field)
    assert p.from_session(p.session_default()) == field_default


def test_shared_parameters_are_on_every_pages_url() -> None:
    for spec in PAGE_SPECS:
        assert spec.params == read_by(spec.url_path)
        assert set(spec.url_params) == set(spec.params) | {p.name for p in PARAMS if p.shared}
        assert carried_by(spec.url_path) == spec.url_params


def test_readme_reads_column_follows_the_table() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for spec in PAGE_SPECS:
        row = re.search(rf"^\| {re.escape(spec.title)} \| `{re.escape(spec.route)}` \| (.*?) \|$", readme, re.M)
        assert row is not None, spec.title
        on_every_page = {p.name for p in PARAMS if set(p.pages) == {s.url_path for s in PAGE_SPECS}}
        listed = tuple(name for name in spec.params if name not in on_every_page)
        assert tuple(re.findall(r"`([a-z_]+)`", row.group(1))) == listed, spec.title
    for name in sorted(on_every_page):
        assert f"`{name}=1`" in readme, name


# --- the round trip ---------------------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=MAX_QUERY_CHARS).map(str.strip)


def views() -> st.SearchStrategy[ViewState]:
    return st.builds(
        ViewState,
        addressee=st.none() | st.sampled_from(sorted(VOCAB.addressees)),
        themes=st.lists(st.sampled_from(VOCAB.themes), unique=True).map(
            lambda ts: tuple(t for t in VOCAB.themes if t in ts)
        ),
        q=TEXT,
        rec=st.none() | st.sampled_from(sorted(VOCAB.recs)),
        region=st.none() | st.sampled_from(sorted(VOCAB.regions)),
        indicator=st.none() | st.sampled_from(sorted(VOCAB.indicators)),
        year=st.none() | st.integers(min_value=0, max_value=9999),
        country=st.none() | st.sampled_from(sorted(VOCAB.countries)),
        slide=st.none() | st.integers(min_value=1, max_value=999),
        notes=st.booleans(),
        lite=st.booleans(),
        high_contrast=st.booleans(),
    )


@given(views())
def test_round_trip_through_a_real_query_string(view: ViewState) -> None:
    query = urlencode(encode(view), doseq=True)
    decoded, notices = decode(parse_qs(query, keep_blank_values=True), VOCAB)
    assert notices == []
    assert decoded == view


@given(views())
def test_round_trip_through_the_widgets(view: ViewState) -> None:
    assert view_from_session(session_from_view(view)) == view


EXAMPLES = {
    "theme": ("access", "blocking"),
    "region": "eastern-africa",
    "addressee": "companies",
    "q": "judicial, review",
    "rec": "gov-blocking",
    "indicator": "shutdowns",
    "year": 2019,
    "country": "PAK",
    "company": "meta",
    "slide": 3,
    "notes": True,
    "snapshot": True,
    "lite": True,
    "high_contrast": True,
}


@pytest.mark.parametrize("p", PARAMS, ids=[p.name for p in PARAMS])
def test_each_parameter_round_trips_alone(p) -> None:
    view = dataclasses.replace(ViewState(), **{p.field: EXAMPLES[p.name]})
    assert set(encode(view)) == {p.name}
    assert decode(encode(view), VOCAB) == (view, [])
    assert decode(encode(view), VOCAB, only=[n for n in EXAMPLES if n != p.name])[0] == ViewState()


def test_defaults_are_left_out() -> None:
    assert encode(ViewState()) == {}


def test_themes_accept_repeated_and_comma_separated_forms_in_taxonomy_order() -> None:
    repeated, _ = decode({"theme": ["blocking", "access"]}, VOCAB)
    commas, _ = decode({"theme": "blocking,access"}, VOCAB)
    assert repeated.themes == commas.themes == ("access", "blocking")
    assert encode(commas) == {"theme": "access,blocking"}
    assert flatten({"theme": ["access", "blocking"]}) == flatten({"theme": "access,blocking"})


def test_only_limits_to_a_pages_parameters() -> None:
    view = ViewState(addressee="governments", themes=("access",), q="judicial", region="africa")
    assert encode(view, only=("theme", "region")) == {"theme": "access", "region": "africa"}


def test_country_codes_are_case_insensitive() -> None:
    assert decode({"country": "pak"}, VOCAB)[0].country == "PAK"


# --- unknown, hostile and oversized values ------------------------------------------------------------------------


def test_unknown_values_become_notices_not_errors() -> None:
    view, notices = decode(
        {"theme": "blocking,nonsense", "addressee": "aliens", "rec": "zzz", "region": "atlantis"}, VOCAB
    )
    assert view == ViewState(themes=("blocking",))
    assert [str(n).split(" in the link")[0] for n in notices] == [
        "Unknown theme 'nonsense'",
        "Unknown region 'atlantis'",
        "Unknown addressee 'aliens'",
        "Unknown recommendation 'zzz'",
    ]


def test_a_long_vocabulary_gets_a_hint_not_a_list() -> None:
    assert len(VOCAB.countries) > LISTED_VOCABULARY
    _, [notice] = decode({"country": "XYZ"}, VOCAB)
    assert str(notice) == "Unknown country code 'XYZ' in the link was ignored; choose a country from the list."
    _, [notice] = decode({"addressee": "aliens"}, VOCAB)
    assert str(notice).endswith("Known values: 'companies', 'governments', 'international', 'itu'.")


@pytest.mark.parametrize(
    "year", ["²", "①", "٢٠١٩", "2019 2020", "+2019", "2019.0", "20190", "219", "0x7e3", "２０１９"]
)
def test_years_are_four_ascii_digits(year: str) -> None:
    view, [notice] = decode({"year": year}, VOCAB)
    assert view.year is None
    assert str(notice) == f"'{year}' in the link is not a year and was ignored."


@pytest.mark.parametrize("slide", ["0", "01", "-1", "1000", "²", "3.0", "three"])
def test_slide_numbers_are_one_to_three_ascii_digits(slide: str) -> None:
    view, [notice] = decode({"slide": slide}, VOCAB)
    assert view.slide is None
    assert str(notice) == f"'{slide}' in the link is not a slide number and was ignored."


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("ON", True), ("0", False), ("no", False)])
def test_flags_read_on_and_off_words(value: str, on: bool) -> None:
    assert decode({"lite": value}, VOCAB) == (ViewState(lite=on), [])


def test_an_unknown_flag_word_is_a_notice() -> None:
    view, [notice] = decode({"notes": "maybe"}, VOCAB)
    assert view.notes is False
    assert str(notice) == "'maybe' in the link is not a speaker-notes switch (use 1 or 0) and was ignored."


def test_a_year_is_read_whole() -> None:
    assert decode({"year": "2019"}, VOCAB) == (ViewState(year=2019), [])
    assert decode({"year": " 2019 "}, VOCAB)[0].year == 2019


def test_the_search_text_is_capped_with_a_notice() -> None:
    view, [notice] = decode({"q": "censorship " * 10_000}, VOCAB)
    assert len(view.q) <= MAX_QUERY_CHARS and view.q.startswith("censorship")
    assert str(notice) == f"The search text in the link was cut to its first {MAX_QUERY_CHARS} characters."
    assert decode({"q": "x" * MAX_QUERY_CHARS}, VOCAB) == (ViewState(q="x" * MAX_QUERY_CHARS), [])


def test_search_text_keeps_commas() -> None:
    assert decode({"q": "blocking, censorship"}, VOCAB)[0].q == "blocking, censorship"


@pytest.mark.parametrize("name", [p.name for p in PARAMS])
def test_every_value_is_capped_before_it_is_read(name: str) -> None:
    huge = "a" * 100_000
    view, notices = decode({name: [huge] * 500}, VOCAB)
    expected = ViewState(q="a" * MAX_QUERY_CHARS) if name == "q" else ViewState()
    assert view == expected
    for notice in notices:
        assert all(len(part.shown()) <= ECHO_CHARS for part in notice.parts if isinstance(part, Echo))
        assert len(str(notice)) < 300
    assert len(flatten({name: [huge] * 500})[name]) <= MAX_VALUES * (MAX_VALUE_CHARS + 1)


def test_the_longest_legitimate_value_is_under_the_cap() -> None:
    assert len(encode(ViewState(themes=VOCAB.themes))["theme"]) < MAX_VALUE_CHARS


def test_echoed_values_are_shortened_with_an_ellipsis() -> None:
    shown = Echo("x" * 100).shown()
    assert len(shown) == ECHO_CHARS and shown.endswith("…")
    assert Echo("x" * ECHO_CHARS).shown() == "x" * ECHO_CHARS


# --- markup-free notices ------------------------------------------------------------------------------------------

PUNCTUATION = set(string.punctuation)


def read_markdown(markdown: str) -> list[tuple[str, str]]:
    """Split a notice's markdown into ('text', …) and ('code', …) pieces, failing on anything markdown would read.

    Outside code spans every ASCII punctuation character must be backslash-escaped and nothing may start a new
    line; a code span is closed by a backtick run of exactly its opening length (CommonMark), one space of
    padding on each side stripped.
    """
    pieces: list[tuple[str, str]] = []
    i = 0
    while i < len(markdown):
        char = markdown[i]
        if char == "`":
            fence = re.match(r"`+", markdown[i:]).group(0)  # type: ignore[union-attr]
            closing = re.compile(rf"(?<!`){fence}(?!`)")
            end = closing.search(markdown, i + len(fence))
            assert end is not None, f"unclosed code span in {markdown!r}"
            content = markdown[i + len(fence) : end.start()]
            if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
                content = content[1:-1]
            pieces.append(("code", content))
            i = end.end()
        elif char == "\\":
            assert markdown[i + 1] in PUNCTUATION, f"stray backslash in {markdown!r}"
            pieces.append(("text", markdown[i + 1]))
            i += 2
        else:
            assert char not in PUNCTUATION, f"unescaped {char!r} in {markdown!r}"
            assert char not in "\n\r", f"line break in {markdown!r}"
            pieces.append(("text", char))
            i += 1
    return pieces


def shown_text(markdown: str) -> str:
    return "".join(piece for _, piece in read_markdown(markdown))


TRICKY = [
    *HOSTILE,
    "`",
    "``",
    "a ` b",
    "`` two ``",
    " padded ",
    "<img src=x onerror=alert(1)>",
    "line\n\n# heading\n- item",
    "bidi \u202eevil",
    "*bold* _it_ ~~strike~~ | table |",
    "www.example.com and mail@example.com and http://198.51.100.7",
    ":smile: :material/home:",
]


@pytest.mark.parametrize("value", TRICKY)
def test_an_echoed_value_is_one_code_span_showing_it_as_written(value: str) -> None:
    notice = Notice.of("Unknown region ", Echo(value), " in the link was ignored.")
    pieces = read_markdown(notice_markdown(notice))
    codes = [piece for kind, piece in pieces if kind == "code"]
    assert codes == [Echo(value).shown().replace(":material/", ":\N{WORD JOINER}material/")]
    assert shown_text(notice_markdown(notice)) == str(notice).replace(f"'{Echo(value).shown()}'", codes[0])


@pytest.mark.parametrize("text", [*TRICKY, "FOTN A: Obstacles to Access has no figures for 2012; showing 2016."])
def test_plain_text_notices_are_escaped_throughout(text: str) -> None:
    markdown = notice_markdown(text)
    assert all(kind == "text" for kind, _ in read_markdown(markdown))
    assert shown_text(markdown) == re.sub("[\n\u202e]", "\N{REPLACEMENT CHARACTER}", text)


def test_control_and_bidi_characters_are_made_visible() -> None:
    assert "\n" not in Echo("a\nb").shown() and "\u202e" not in Echo("a\u202eb").shown()
    assert Echo("a\tb").shown() == "a\N{REPLACEMENT CHARACTER}b"


@pytest.mark.parametrize("value", HOSTILE)
def test_every_hostile_value_in_every_parameter_is_echoed_safely(value: str) -> None:
    for p in PARAMS:
        _, notices = decode({p.name: value}, VOCAB)
        for notice in notices:
            pieces = read_markdown(notice_markdown(notice))
            assert any(kind == "code" and value in piece for kind, piece in pieces) or p.kind == "text"


# --- resolve ------------------------------------------------------------------------------------------------------

OPTIONS = ViewOptions(
    indicators=("fotn_limits", "shutdowns"),
    periods={"fotn_limits": (2018, 2019, 2024), "shutdowns": (2016, 2017)},
    default_period={"fotn_limits": 2024, "shutdowns": 2017},
    names={"fotn_limits": "FOTN B", "shutdowns": "Shutdowns", "wcit12_signed": "WCIT-12"},
)


def test_resolve_keeps_what_the_themes_allow() -> None:
    view = ViewState(themes=("blocking",), indicator="shutdowns", year=2016)
    assert resolve(view, OPTIONS, from_link={"indicator", "year"}) == (view, [])


def test_resolve_fills_in_defaults_silently() -> None:
    assert resolve(ViewState(), OPTIONS) == (ViewState(indicator="fotn_limits", year=2024), [])


def test_an_indicator_off_the_themes_gives_way_to_the_first_linked_with_a_notice() -> None:
    view, [notice] = resolve(ViewState(indicator="wcit12_signed", year=2019), OPTIONS)
    assert (view.indicator, view.year) == ("fotn_limits", 2019)
    assert str(notice) == "WCIT-12 does not measure the chosen themes; showing FOTN B."


def test_a_year_without_data_gives_way_to_the_default_period_with_a_notice_only_from_a_link() -> None:
    view, [notice] = resolve(ViewState(indicator="shutdowns", year=2012), OPTIONS, from_link={"year"})
    assert view.year == 2017 and str(notice) == "Shutdowns has no figures for 2012; showing 2017."
    assert resolve(ViewState(indicator="shutdowns", year=2012), OPTIONS) == (
        ViewState(indicator="shutdowns", year=2017),
        [],
    )


def test_the_year_is_checked_against_the_replacement_indicator() -> None:
    view, notices = resolve(ViewState(indicator="wcit12_signed", year=2012), OPTIONS, from_link={"year"})
    assert (view.indicator, view.year) == ("fotn_limits", 2024)
    assert [str(n) for n in notices][1] == "FOTN B has no figures for 2012; showing 2024."


def test_without_linked_indicators_there_is_no_indicator_or_year() -> None:
    empty = ViewOptions((), {}, {})
    assert resolve(ViewState(indicator="shutdowns", year=2017), empty) == (ViewState(), [])


def test_vocabulary_follows_the_statement(shipped_statement: Statement) -> None:
    assert VOCAB.themes == tuple(shipped_statement.theme_ids())
    assert "gov-blocking" in VOCAB.recs and "africa" in VOCAB.regions and "eastern-africa" in VOCAB.regions
    assert param("country").vocabulary == "countries" and "PAK" in VOCAB.countries
