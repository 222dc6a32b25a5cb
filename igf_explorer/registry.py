"""The app's pages: one registry read by ``app.py`` (navigation) and by the tests (smoke tests, deep links)."""

from __future__ import annotations

from dataclasses import dataclass

SHARED_PARAMS: tuple[str, ...] = ("theme", "region")


@dataclass(frozen=True)
class PageSpec:
    """A page: its script, title, icon, URL path ('' for the home page) and the query parameters it reads."""

    script: str
    title: str
    icon: str
    url_path: str
    params: tuple[str, ...] = SHARED_PARAMS
    default: bool = False

    @property
    def route(self) -> str:
        """Path part of the page's URL, e.g. ``/recommendations``."""
        return "/" + self.url_path


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "Overview", ":material/home:", "", params=("theme",), default=True),
    PageSpec(
        "app_pages/recommendations.py",
        "Recommendations",
        ":material/checklist:",
        "recommendations",
        params=("addressee", "theme", "q", "rec", "region", "indicator"),
    ),
    PageSpec("app_pages/map.py", "Map", ":material/public:", "map", params=("theme", "region", "indicator", "year")),
    PageSpec(
        "app_pages/country.py", "Country profile", ":material/flag:", "country", params=("country", "theme", "region")
    ),
    PageSpec("app_pages/signatories.py", "Signatories", ":material/groups:", "signatories", params=("region",)),
    PageSpec("app_pages/data.py", "Data", ":material/database:", "data", params=()),
    PageSpec("app_pages/about.py", "About & sources", ":material/info:", "about", params=()),
)


def page_by_path(url_path: str) -> PageSpec:
    """The page registered under ``url_path``."""
    return next(p for p in PAGE_SPECS if p.url_path == url_path)
