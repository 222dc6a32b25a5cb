"""AppTest helpers: run the real app.py router and switch pages by their registered scripts."""

from __future__ import annotations

from collections.abc import Callable

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
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


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
