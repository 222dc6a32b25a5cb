"""Link lists and key figures drawn as one HTML element each: every text shown as written, links that stay here."""

from __future__ import annotations

import html
import re

from components.navigation import ViewLink, link_list_html
from components.tables import key_numbers_html

HOSTILE = '![x](http://198.51.100.7/b.png) <img src=x onerror=alert(1)> :red[x] $x$ :material/home: "quoted"'


def test_a_link_list_escapes_its_texts_and_opens_in_the_same_tab() -> None:
    markup = link_list_html(
        [ViewLink(HOSTILE, "recommendations", {"theme": "a&b", "rec": ""}, HOSTILE), ViewLink("Home", "", {})],
        label="Ways in",
    )
    assert "<img" not in markup, "markup in a label stays text"
    hrefs = re.findall(r'href="([^"]*)"', markup)
    assert hrefs == ["recommendations?theme=a%26b&amp;rec=", "."]
    assert markup.count('target="_self"') == 2
    shown = re.findall(r">([^<]+)</a>", markup)[0]
    assert html.unescape(shown) == HOSTILE, "the label reads as written once the browser decodes it"
    assert ":" not in shown and "$" not in shown, "no colon or dollar left for Streamlit to turn into icons or LaTeX"


def test_key_figures_are_one_list_shown_as_written() -> None:
    markup = key_numbers_html({"Countries": ("17 of 50", "in the chosen region"), HOSTILE: ("3", None)})
    assert markup.startswith('<dl class="igf-numbers">') and markup.count('class="igf-number"') == 2
    values = [html.unescape(v) for v in re.findall(r'<dd class="igf-number-value">(.*?)</dd>', markup)]
    labels = [html.unescape(v) for v in re.findall(r"<dt>(.*?)</dt>", markup)]
    assert values == ["17 of 50", "3"] and labels == ["Countries", HOSTILE]
    assert "<img" not in markup and markup.count("igf-number-note") == 1
