"""The app's pages: one registry read by ``app.py`` (navigation) and by the tests (smoke tests, deep links)."""

from __future__ import annotations

from dataclasses import dataclass

from igf_explorer.url_state import carried_by, read_by


@dataclass(frozen=True)
class PageSpec:
    """A page: its script, title, icon and URL path ('' for the home page)."""

    script: str
    title: str
    icon: str
    url_path: str
    default: bool = False

    @property
    def route(self) -> str:
        """Path part of the page's URL, e.g. ``/recommendations``."""
        return "/" + self.url_path

    @property
    def params(self) -> tuple[str, ...]:
        """The query parameters this page reads, from the one parameter table (``url_state.PARAMS``)."""
        return read_by(self.url_path)

    @property
    def url_params(self) -> tuple[str, ...]:
        """The query parameters this page's URL holds: what it reads plus the shared sidebar filters."""
        return carried_by(self.url_path)


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "Overview", ":material/home:", "", default=True),
    PageSpec("app_pages/recommendations.py", "Recommendations", ":material/checklist:", "recommendations"),
    PageSpec("app_pages/map.py", "Map", ":material/public:", "map"),
    PageSpec("app_pages/since_2012.py", "Since 2012", ":material/timeline:", "since-2012"),
    PageSpec("app_pages/country.py", "Country profile", ":material/flag:", "country"),
    PageSpec("app_pages/companies.py", "Companies", ":material/domain:", "companies"),
    PageSpec("app_pages/signatories.py", "Signatories", ":material/groups:", "signatories"),
    PageSpec("app_pages/data.py", "Data", ":material/database:", "data"),
    PageSpec("app_pages/about.py", "About & sources", ":material/info:", "about"),
    PageSpec("app_pages/present.py", "Present", ":material/slideshow:", "present"),
)


def page_by_path(url_path: str) -> PageSpec:
    """The page registered under ``url_path``."""
    return next(p for p in PAGE_SPECS if p.url_path == url_path)


def page_by_script(script: str) -> PageSpec:
    """The page whose script is ``script`` (as ``st.switch_page`` is given it)."""
    return next(p for p in PAGE_SPECS if p.script == script)
