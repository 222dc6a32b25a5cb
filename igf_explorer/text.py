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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$^=])")


def escape_markdown(text: object) -> str:
    """Text from a data file or a link shown as written inside Streamlit markdown: no links, images, colours, LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
