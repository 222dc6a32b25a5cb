"""Text from data files shown as written: ``escape_markdown`` for Streamlit markdown, ``plain`` for plotly.

Streamlit's frontend (1.67) interprets markdown in two passes. The parser (CommonMark with GFM, directives and math)
sees the escaped source, where a backslash before ASCII punctuation always makes it literal. Then plugins rewrite the
*parsed* text, whose escapes are gone: GFM autolinks, emoji shortcodes, ``:material_…:`` icons, ``:streamlit:`` and
typographic arrows. The patterns below are the ones in Streamlit's ``StreamlitMarkdown`` bundle and
``mdast-util-gfm-autolink-literal``; the browser test (tests/e2e/test_hostile_text.py) checks the real page.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable

import pytest

from igf_explorer.text import escape_markdown, plain

JOINER = "\u2060"
PAYLOADS = [
    "![x](http://198.51.100.7/b.png)",
    "[x](javascript:alert(1))",
    ":red[coloured] and :blue-background[x]",
    ":material/home: and :material_home:",
    ":smile: :+1: :-1: :streamlit:",
    "$x^2$ and $$\\int x$$",
    "<img src=x onerror=alert(1)>",
    '<span style="color:red">x</span>',
    "http://198.51.100.7/a",
    "see www.example.org, or HTTPS://example.org",
    "write to someone@example.org",
    "a footnote[^1]\n\n[^1]: http://198.51.100.7/f",
    "# heading",
    "- list item",
    "1. ordered",
    "> quote",
    "| a | b |",
    "**bold** _em_ ~~struck~~ `code`",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "&lt;b&gt; &amp; &#58;",
    "\\escaped\\",
]


def _after_boundary(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A GFM autolink pattern: it counts only at the start, or after whitespace, punctuation or a symbol."""

    def found(text: str) -> bool:
        for match in pattern.finditer(text):
            before = text[match.start() - 1] if match.start() else ""
            if not before or before.isspace() or unicodedata.category(before)[0] in "PS":
                return True
        return False

    return found


# Whatever the parser leaves as text, Streamlit's frontend searches for these.
POST_PARSE: dict[str, Callable[[str], bool]] = {
    "autolink url": _after_boundary(re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)),
    "autolink email": _after_boundary(re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")),
    "emoji": re.compile(r":\+1:|:-1:|:[\w-]+:").search,
    "material icon": re.compile(r":material_(\w+):").search,
    "streamlit logo": re.compile(r":streamlit:").search,
    "arrows": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)").search,
}


def parsed_text(markdown: str) -> str:
    """The text CommonMark makes of escaped markdown: every backslash escape resolved."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_punctuation_mark_is_escaped(payload: str) -> None:
    escaped = escape_markdown(payload)
    unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", escaped)
    assert not any(c in string.punctuation for c in unescaped), escaped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_text_shown_is_the_text_given(payload: str) -> None:
    shown = parsed_text(escape_markdown(payload)).replace(JOINER, "")
    assert shown == payload.replace("\n", " ")


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("rule", list(POST_PARSE))
def test_no_frontend_rewrite_finds_a_pattern(payload: str, rule: str) -> None:
    text = parsed_text(escape_markdown(payload))
    # The one rewrite done on the source itself, before parsing.
    assert ":material/" not in escape_markdown(payload)
    assert not POST_PARSE[rule](text), (rule, text)


def test_the_patterns_would_match_unescaped_text() -> None:
    """The post-parse patterns are live: each finds its payload when nothing breaks it."""
    for rule, sample in {
        "autolink url": "(http://198.51.100.7/b.png)",
        "autolink email": "someone@example.org",
        "emoji": ":smile:",
        "material icon": ":material_home:",
        "streamlit logo": ":streamlit:",
        "arrows": "a -> b",
    }.items():
        assert POST_PARSE[rule](sample), rule


def test_math_is_not_detected() -> None:
    """Streamlit loads KaTeX when the source has unescaped ``$…$``; escaped dollars are blanked out first."""
    source = re.sub(r"\\[\\$`]", "_", escape_markdown("$x$ and $$y$$ cost $5 or $6"))
    assert "$" not in source


def test_line_breaks_become_spaces() -> None:
    assert escape_markdown("one\ntwo\r\nthree\rfour") == "one two three four"


def test_plain_text_is_unchanged() -> None:
    assert escape_markdown("Freedom House 2024 (Free)") == "Freedom House 2024 \\(Free\\)"
    assert escape_markdown("Côte d’Ivoire") == "Côte d’Ivoire"


def test_plain_escapes_html_for_plotly() -> None:
    assert plain('<a href="javascript:x">y</a> & <span style=x>') == (
        '&lt;a href="javascript:x"&gt;y&lt;/a&gt; &amp; &lt;span style=x&gt;'
    )
