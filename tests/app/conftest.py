"""AppTest helpers: run the real app.py router and switch pages by their registered scripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT

APP = str(REPO_ROOT / "app.py")
TIMEOUT = 60


@pytest.fixture
def app_at() -> Callable[..., AppTest]:
    """Factory: an AppTest on ``script`` with the given query parameters (and session values), already run."""

    def make(script: str | None = None, session: dict[str, object] | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in params.items():
            at.query_params[key] = value
        for key, value in (session or {}).items():
            at.session_state[key] = value
        if script:
            at.switch_page(script)
            _ask_by_url_path(at, script)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def _ask_by_url_path(at: AppTest, script: str) -> None:
    """Before its first run AppTest finds a page by its file name; st.Page names a page by the hash of its URL path.

    The two agree for every page whose path is its file's name (map.py at /map); for one that differs
    (since_2012.py at /since-2012) the first run is asked for by its path's hash, as a browser's would be.
    """
    from streamlit.source_util import page_icon_and_name
    from streamlit.util import calc_hash

    from igf_explorer.registry import page_by_script

    url_path = page_by_script(script).url_path
    if url_path and page_icon_and_name(Path(script))[1] != url_path:
        at._page_hash = calc_hash(url_path)  # noqa: SLF001  # what AppTest.switch_page sets, once pages are known


def all_text(at: AppTest) -> str:
    """Every markdown, caption, title and header text of the run, joined, as a reader sees it."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [h.value for h in at.header] + [s.value for s in at.subheader]
    return shown("\n".join(str(p) for p in parts))


def key_numbers(at: AppTest) -> dict[str, str]:
    """The key figures of the run (components/tables.py draws them as one HTML list): label → value."""
    import html
    import re

    found: dict[str, str] = {}
    for block in at.markdown:
        for label, value in re.findall(r'<dt>(.*?)</dt><dd class="igf-number-value">(.*?)</dd>', str(block.value)):
            found[html.unescape(label)] = html.unescape(value)
    return found


def shown(markdown: str) -> str:
    """What a reader sees of markdown made by ``escape_markdown``: the backslash escapes and word joiners gone."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
