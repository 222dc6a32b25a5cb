"""Lists of links to views, drawn as one element.

``st.page_link`` is one element per link, and every element costs each new visitor's run about 0.3 ms of server
CPU (docs/PERFORMANCE.md): the Overview's seventeen ways into the statement were a third of its elements. Here a
list is one markdown block of plain links. A click loads the linked view as a page of its own (``target="_self"``:
Streamlit's markdown would open a new tab); the URL holds the whole view, so nothing is lost, and the browser keeps
the app's code cached. Middle-click, "copy link" and a screen reader's list of links work as on any web page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from components.tables import inert_html


@dataclass(frozen=True)
class ViewLink:
    """One link: its words, the page's URL path and query, and an optional description (the link's tooltip)."""

    label: str
    url_path: str
    params: Mapping[str, str]
    description: str | None = None

    def href(self) -> str:
        """The link relative to the page it is on: every page sits at the app's root, under any base path."""
        query = urlencode(dict(self.params))
        return (self.url_path or ".") + (f"?{query}" if query else "")


def link_list_html(links: Sequence[ViewLink], label: str) -> str:
    """The list as HTML, every text shown as written."""
    items = []
    for link in links:
        title = f' title="{inert_html(link.description)}"' if link.description else ""
        items.append(
            f'<li><a href="{html.escape(link.href(), quote=True)}" target="_self"{title}>{inert_html(link.label)}</a></li>'
        )
    return f'<ul class="igf-links" aria-label="{inert_html(label)}">{"".join(items)}</ul>'


def render_link_list(links: Sequence[ViewLink], label: str) -> None:
    """Draw ``links`` as one list named ``label`` for screen readers."""
    st.markdown(link_list_html(links, label), unsafe_allow_html=True)
