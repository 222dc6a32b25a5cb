"""The core package stays free of Streamlit, and the page registry matches the files on disk."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import igf_explorer
from igf_explorer.registry import PAGE_SPECS
from tests.conftest import REPO_ROOT


def test_core_never_imports_streamlit() -> None:
    modules = [f"igf_explorer.{m.name}" for m in pkgutil.iter_modules(igf_explorer.__path__) if m.name != "__main__"]
    assert len(modules) >= 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert result.stdout.strip() == "", f"core imported streamlit modules: {result.stdout}"


def test_every_registered_page_exists_and_urls_are_unique() -> None:
    for spec in PAGE_SPECS:
        assert (REPO_ROOT / spec.script).is_file(), spec.script
    paths = [spec.url_path for spec in PAGE_SPECS]
    assert len(paths) == len(set(paths))
    assert sum(spec.default for spec in PAGE_SPECS) == 1


def test_no_legacy_pages_folder_beside_app() -> None:
    # Streamlit auto-registers a pages/ folder next to app.py even with st.navigation; see README "Layout".
    assert not (REPO_ROOT / "pages").exists()
