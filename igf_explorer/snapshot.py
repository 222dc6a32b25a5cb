"""Static snapshots of views: the audience's path when a whole room opens a presented link at once.

A live Streamlit session costs a fraction of a CPU-second per visitor; a snapshot costs the web server a few file
reads. A snapshot is the offline kit's page for one view (:mod:`igf_explorer.kit.view`), written to
``<snapshot dir>/<name>/index.html`` with the kit's shared files once in ``<snapshot dir>/assets/``. The name comes
from the view (``map-theme-blocking-region-africa-1a2b3c4d``), so a link to it stays valid; the folder's
``snapshot.json`` records the data version it was drawn from, and :func:`write_snapshot` rewrites it when the data
version changes. Each page carries a button "Open the live explorer at this view" (a link relative to the page, so
it works on whatever address the snapshot is served from), the data version and the date it was made, and the
source line under every chart.

Where snapshots go and how they are served (``IGF_EXPLORER_SNAPSHOT_DIR`` and ``IGF_EXPLORER_SNAPSHOT_PATH``):

- behind nginx (``deploy/cluster.py``): any folder, served by nginx at ``/snapshot/``, never by a replica;
- without nginx: ``static/snapshot/`` of the app, which Streamlit serves at ``/app/static/snapshot/`` when
  ``server.enableStaticServing`` is on (Streamlit 1.67 serves ``.html`` there as ``text/html``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from igf_explorer import __version__
from igf_explorer.kit.assets import asset_files
from igf_explorer.kit.build import data_version
from igf_explorer.kit.markup import default_template
from igf_explorer.kit.pages import KitContext, file_name
from igf_explorer.kit.view import ViewPageError, view_page
from igf_explorer.paths import REPO_ROOT
from igf_explorer.registry import PAGE_SPECS, PageSpec
from igf_explorer.url_state import ViewState, Vocabulary, build_vocabulary, decode, encode
from igf_explorer.views import ExplorerData, load_data

SNAPSHOT_DIR_ENV = "IGF_EXPLORER_SNAPSHOT_DIR"
SNAPSHOT_PATH_ENV = "IGF_EXPLORER_SNAPSHOT_PATH"
# Without a web server in front, the app's own static folder: Streamlit serves it at /app/static/.
DEFAULT_SNAPSHOT_DIR = REPO_ROOT / "static" / "snapshot"
DEFAULT_SNAPSHOT_PATH = "app/static/snapshot"
INDEX = "index.html"
MANIFEST = "snapshot.json"
GENERATOR = "igf-explorer snapshot"
# Written beside each text file as ``<file>.gz`` for nginx's gzip_static: compressed once, not once per visitor.
GZIPPED = (".html", ".js", ".css", ".json")
_NAME_CHARS = 80
_SERVED_PATH = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")


class SnapshotError(ValueError):
    """A view that cannot be snapshotted (a page without a static twin, an unknown value) or a bad setting."""


@dataclass(frozen=True)
class SnapshotSettings:
    """Where snapshots are written, and the URL path (under the app's base) that serves that folder."""

    directory: Path
    served_path: str


def snapshot_settings(environ: Mapping[str, str]) -> SnapshotSettings:
    """The folder and URL path from the environment (defaults: the app's ``static/snapshot``).

    Raises
    ------
    SnapshotError
        When the URL path is not a plain path of letters, digits, ``-`` and ``_`` segments.
    """
    directory = Path(environ.get(SNAPSHOT_DIR_ENV) or DEFAULT_SNAPSHOT_DIR)
    served = (environ.get(SNAPSHOT_PATH_ENV) or DEFAULT_SNAPSHOT_PATH).strip().strip("/")
    if not _SERVED_PATH.fullmatch(served):
        raise SnapshotError(f"{SNAPSHOT_PATH_ENV} must be a path such as 'snapshot', not {served!r}")
    return SnapshotSettings(directory, served)


@dataclass(frozen=True)
class SnapshotView:
    """A view to snapshot: its page, its state, its canonical link (``/map?theme=…``) and the folder name."""

    spec: PageSpec
    view: ViewState
    link: str
    name: str


def _page_of(path: str) -> PageSpec:
    last = path.rstrip("/").rpartition("/")[2] if not path.endswith("/") else ""
    for spec in PAGE_SPECS:
        if spec.url_path == last:
            return spec
    raise SnapshotError(f"'{path}' is not a page of the explorer")


def snapshot_name(spec: PageSpec, query: Mapping[str, str]) -> str:
    """A stable folder name for a view: the page and its parameters, readable, plus a digest of the exact query."""
    canonical = spec.route + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    readable = "-".join([spec.url_path or "overview", *(f"{k}-{v}" for k, v in query.items())])
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{file_name(readable)[:_NAME_CHARS].rstrip('-')}-{digest}"


def parse_view(link: str, vocabulary: Vocabulary) -> SnapshotView:
    """The view a link shows (``/map?theme=blocking`` or a whole address of the explorer).

    Raises
    ------
    SnapshotError
        When the link is no page, names a parameter its page does not read, or a value the data does not know: a
        snapshot must show exactly the view it is named after.
    """
    parts = urlsplit(link.strip())
    spec = _page_of(parts.path or "/")
    params = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(params) - set(spec.url_params))
    if unknown:
        raise SnapshotError(f"{spec.route} does not read {', '.join(unknown)}")
    view, notices = decode(params, vocabulary, only=spec.url_params)
    if notices:
        raise SnapshotError(f"{link}: " + " ".join(str(n) for n in notices))
    query = encode(view, only=spec.url_params)
    canonical = spec.route + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return SnapshotView(spec, view, canonical, snapshot_name(spec, query))


def live_href(target: SnapshotView, served_path: str) -> str:
    """The link from the snapshot's page back to the live view, relative, so it holds on any address it is served."""
    depth = len(served_path.strip("/").split("/")) + 1  # the served folder's segments and the snapshot's own
    return "../" * depth + target.link.lstrip("/")


def snapshot_url(base: str, served_path: str, name: str) -> str:
    """The address of a snapshot's page under the app's ``base``."""
    return f"{base.rstrip('/')}/{served_path.strip('/')}/{name}/{INDEX}"


@dataclass(frozen=True)
class SnapshotResult:
    """One snapshot: where its page is, whether it was (re)written now, and the data version it shows."""

    target: SnapshotView
    page: Path
    written: bool
    data_version: str


def _atomic_write(target: Path, content: bytes) -> None:
    """Replace ``target`` in one step: a visitor reads the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from a web server running as another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _put(target: Path, content: bytes) -> None:
    """Write ``target`` (and its ``.gz`` twin) unless it already holds ``content``."""
    if not (target.is_file() and target.stat().st_size == len(content) and target.read_bytes() == content):
        _atomic_write(target, content)
    if target.suffix in GZIPPED:
        packed = gzip.compress(content, compresslevel=9, mtime=0)
        twin = target.with_name(target.name + ".gz")
        if not (twin.is_file() and twin.read_bytes() == packed):
            _atomic_write(twin, packed)


def _current(folder: Path, version: str, live: str, link: str) -> bool:
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = {"generator": GENERATOR, "version": __version__, "data_version": version, "live": live, "view": link}
    return (
        isinstance(recorded, dict)
        and all(recorded.get(k) == v for k, v in wanted.items())
        and (folder / INDEX).is_file()
        and (folder.parent / "assets" / "plotly.min.js").is_file()
    )


def write_snapshot(
    data_dir: Path,
    outdir: Path,
    target: SnapshotView,
    *,
    served_path: str = DEFAULT_SNAPSHOT_PATH,
    live: str | None = None,
    data: ExplorerData | None = None,
    version: str | None = None,
    made: dt.date | None = None,
    force: bool = False,
) -> SnapshotResult:
    """Write the snapshot of ``target`` under ``outdir`` unless it is already there for this data version.

    Parameters
    ----------
    data_dir
        The data directory the view is drawn from.
    outdir
        The folder served at ``served_path``.
    target
        The view (:func:`parse_view`).
    served_path
        The URL path under the app's base where ``outdir`` is served; it fixes the relative link back to the live
        view.
    live
        The live view's address, when it must be absolute (default: :func:`live_href`).
    data, version
        The loaded data and its version, when the caller has them.
    made
        The date the page gives (default: today).
    force
        Rewrite even when an up-to-date snapshot is there.

    Raises
    ------
    SnapshotError
        When the view has no static page.
    OSError
        When ``outdir`` cannot be written.
    """
    version = version or data_version(data_dir)
    live = live or live_href(target, served_path)
    folder = outdir / target.name
    if not force and _current(folder, version, live, target.link):
        return SnapshotResult(target, folder / INDEX, False, version)
    context = KitContext(
        data=data or load_data(data_dir),
        data_dir=data_dir,
        countries=(),
        template=default_template(),
        data_version=version,
        exported=made or dt.date.today(),
        live=live,
    )
    try:
        page = view_page(context, f"{target.name}/{INDEX}", target.spec, target.view)
    except ViewPageError as error:
        raise SnapshotError(str(error)) from None
    for name, content in asset_files(context.template).items():
        _put(outdir / name, content)
    _put(folder / INDEX, page.html.encode("utf-8"))
    manifest = {
        "generator": GENERATOR,
        "version": __version__,
        "data_version": version,
        "made": context.exported.isoformat(),
        "view": target.link,
        "live": live,
        "title": page.title,
    }
    _atomic_write(folder / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
    return SnapshotResult(target, folder / INDEX, True, version)


def vocabulary_of(data: ExplorerData) -> Vocabulary:
    """The URL values the loaded data allows."""
    return build_vocabulary(data.statement, data.store.registry.indicators)


def deck_links(data_dir: Path, data: ExplorerData) -> tuple[str, ...]:
    """The links of the deck's share slides (``data/slides/slides.yaml``), in deck order, each once."""
    from igf_explorer.slides import has_slides, load_slides, slide_vocabulary

    if not has_slides(data_dir):
        return ()
    vocabulary = slide_vocabulary(data.statement, data.store, data.links)
    links = (s.link for s in load_slides(data_dir, vocabulary) if s.kind == "share" and s.link)
    return tuple(dict.fromkeys(links))


def write_snapshots(
    data_dir: Path,
    outdir: Path,
    links: Iterable[str] | None = None,
    served_path: str = DEFAULT_SNAPSHOT_PATH,
    base: str | None = None,
    force: bool = False,
) -> list[SnapshotResult]:
    """Snapshots of ``links`` (default: every share slide of the deck); with ``base``, absolute live links."""
    data = load_data(data_dir)
    version = data_version(data_dir)
    vocabulary = vocabulary_of(data)
    wanted: Sequence[str] = tuple(links) if links is not None else deck_links(data_dir, data)
    results = []
    for link in wanted:
        target = parse_view(link, vocabulary)
        live = base.rstrip("/") + target.link if base else None
        results.append(
            write_snapshot(
                data_dir, outdir, target, served_path=served_path, live=live, data=data, version=version, force=force
            )
        )
    return results
