"""Text helpers shared by verbatim checks and search: whitespace folding and markdown stripping."""

from __future__ import annotations

import html
import re

_WHITESPACE = re.compile(r"\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2})")


def normalize_whitespace(text: str) -> str:
    """Fold every run of whitespace into one space and strip the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def markdown_to_plain(markdown: str) -> str:
    """Drop link targets and emphasis marks so prose can be compared word for word with the source."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", markdown))


def contains_verbatim(haystack_markdown: str, needle: str) -> bool:
    """Whether ``needle`` occurs word for word in the markdown text, ignoring whitespace and markup."""
    return normalize_whitespace(needle) in normalize_whitespace(markdown_to_plain(haystack_markdown))


def plain(text: object) -> str:
    """Text from a data file made safe for plotly's hover and labels, which render a subset of HTML."""
    return html.escape(str(text), quote=False)


# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped one is always literal:
# no emphasis, link, image, footnote, table, heading, list, raw HTML, character reference, ``$`` LaTeX or
# ``:name[…]`` directive can start from it.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_JOINER = "\u2060"  # WORD JOINER: invisible, no line break, neither letter, digit, space nor punctuation
# Streamlit's frontend also rewrites the *parsed* text, where backslash escapes are already gone: GFM autolinks
# (``http://…``, ``www.…``, ``a@b.org``), emoji shortcodes (``:smile:``), ``:material/…:`` icons, ``:streamlit:``
# and typographic arrows (``->``). An invisible joiner breaks each pattern without changing what is seen.
_AUTOLINK_START = re.compile(r"(?i)(?<![a-z0-9])(?=https?:|www\.|mailto:|xmpp:)")
_BEFORE_JOINER = re.compile(r"(?=@)|(?<=:)(?=[\w+-])|(?<=[<>~=-])(?=[<>~=-])")


def escape_markdown(text: object) -> str:
    r"""Text from a data file, an upload or a link shown as written inside Streamlit markdown.

    Every ASCII punctuation mark is backslash-escaped, so nothing in the text is markup (no link, image, colour,
    LaTeX, HTML, footnote or heading); line breaks become spaces. Invisible word joiners (U+2060) go where Streamlit
    would otherwise find a pattern in the shown text: before ``http:``, ``www.`` and ``@`` (GFM autolinks), after a
    ``:`` that a word follows (emoji shortcodes, ``:material/…:`` icons) and between ``-``, ``<``, ``>``, ``=``, ``~``
    (``->`` would become an arrow). The text a reader sees, selects or copies is the text given, joiners aside.

    Examples
    --------
    >>> escape_markdown("![x](http://198.51.100.7/b.png)")
    '\\!\\[x\\]\\(\u2060http\\://198\\.51\\.100\\.7/b\\.png\\)'
    """
    flat = re.sub(r"\r\n?|\n", " ", str(text))
    joined = _BEFORE_JOINER.sub(_JOINER, _AUTOLINK_START.sub(_JOINER, flat))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", joined)
