"""The URL codec: defaults omitted, round trip exact, unknown values reported, never raised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from igf_explorer.statement import Statement, load_statement
from igf_explorer.url_state import ViewState, Vocabulary, build_vocabulary, decode, encode
from tests.conftest import DATA_DIR

VOCAB: Vocabulary = build_vocabulary(load_statement(DATA_DIR), ["fotn_total", "internet_users", "shutdowns"])


def views() -> st.SearchStrategy[ViewState]:
    return st.builds(
        ViewState,
        addressee=st.none() | st.sampled_from(sorted(VOCAB.addressees)),
        themes=st.lists(st.sampled_from(VOCAB.themes), unique=True).map(
            lambda ts: tuple(t for t in VOCAB.themes if t in ts)
        ),
        q=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip),
        rec=st.none() | st.sampled_from(sorted(VOCAB.recs)),
        region=st.none() | st.sampled_from(sorted(VOCAB.regions)),
        indicator=st.none() | st.sampled_from(sorted(VOCAB.indicators)),
        year=st.none() | st.integers(min_value=1900, max_value=2100),
        country=st.none() | st.sampled_from(["PAK", "SSD", "USA", "XKX"]),
    )


@given(views())
def test_round_trip(view: ViewState) -> None:
    decoded, notices = decode(encode(view), VOCAB)
    assert notices == []
    assert decoded == view


def test_defaults_are_left_out() -> None:
    assert encode(ViewState()) == {}


def test_themes_accept_repeated_and_comma_separated_forms_in_taxonomy_order() -> None:
    repeated, _ = decode({"theme": ["blocking", "access"]}, VOCAB)
    commas, _ = decode({"theme": "blocking,access"}, VOCAB)
    assert repeated.themes == commas.themes == ("access", "blocking")
    assert encode(commas) == {"theme": "access,blocking"}


def test_unknown_values_become_notices_not_errors() -> None:
    view, notices = decode(
        {"theme": "blocking,nonsense", "addressee": "aliens", "rec": "zzz", "region": "atlantis"}, VOCAB
    )
    assert view == ViewState(themes=("blocking",))
    assert len(notices) == 4
    assert "nonsense" in notices[0] and "atlantis" in notices[3]


def test_only_limits_to_a_pages_parameters() -> None:
    view = ViewState(addressee="governments", themes=("access",), q="judicial", region="africa")
    assert encode(view, only=("theme", "region")) == {"theme": "access", "region": "africa"}


def test_search_text_keeps_commas() -> None:
    view, _ = decode({"q": "blocking, censorship"}, VOCAB)
    assert view.q == "blocking, censorship"


def test_vocabulary_follows_the_statement(shipped_statement: Statement) -> None:
    assert VOCAB.themes == tuple(shipped_statement.theme_ids())
    assert "gov-blocking" in VOCAB.recs and "africa" in VOCAB.regions and "eastern-africa" in VOCAB.regions


def test_map_parameters_decode_with_notices() -> None:
    view, notices = decode({"indicator": "fotn_total", "year": "2018", "country": "pak"}, VOCAB)
    assert (view.indicator, view.year, view.country) == ("fotn_total", 2018, "PAK")
    assert notices == []
    view, notices = decode({"indicator": "gdp", "year": "soon", "country": "ZZZ"}, VOCAB)
    assert (view.indicator, view.year, view.country) == (None, None, None)
    assert len(notices) == 3 and "soon" in notices[1]
