"""The core package stays free of Streamlit, and the page registry matches the files on disk."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import igf_explorer
from igf_explorer.registry import PAGE_SPECS
from tests.conftest import REPO_ROOT


def test_core_never_imports_streamlit() -> None:
    # walk_packages, not iter_modules: the subpackages (ingest, views) must be free of Streamlit too.
    modules = [
        m.name for m in pkgutil.walk_packages(igf_explorer.__path__, "igf_explorer.") if not m.name.endswith("__main__")
    ]
    assert len(modules) >= 30 and "igf_explorer.views.map" in modules and "igf_explorer.ingest.pipeline" in modules
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


UI_FILES = sorted(
    [*(REPO_ROOT / "app_pages").glob("*.py"), *(REPO_ROOT / "components").glob("*.py"), REPO_ROOT / "app.py"]
)
# How code indexes or filters the tidy indicator frame; the UI asks the IndicatorStore or a view builder instead.
FRAME_ACCESS = ('["indicator"]', '["iso3"]', '["year"]', "store[", "store.loc", ".groupby(")


def test_no_page_or_component_indexes_the_indicator_frame() -> None:
    offending = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for path in UI_FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(token in line for token in FRAME_ACCESS)
    ]
    assert offending == []


def test_page_scripts_are_short() -> None:
    lengths = {
        path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in (REPO_ROOT / "app_pages").glob("*.py")
    }
    assert lengths and max(lengths.values()) <= 100, lengths


def test_view_builders_run_without_streamlit() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from igf_explorer.views import load_data\n"
        "from igf_explorer.views.map import build_map_view\n"
        "from igf_explorer.views.country import build_country_view\n"
        "data = load_data(Path('data'))\n"
        "shown = build_map_view(data, ('blocking',), 'africa', None, None)\n"
        "assert shown.map is not None and len(shown.map.figure.data) > 0 and shown.map.total > 40\n"
        "profile = build_country_view(data, 'PAK', ('privacy-surveillance',))\n"
        "assert profile.title == 'Pakistan' and profile.lead and profile.panels\n"
        "loaded = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print(','.join(loaded) or 'none')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"
