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
    """Every markdown, caption, title and header text of the run, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [h.value for h in at.header] + [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)
