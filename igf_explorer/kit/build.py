"""Write the kit: build every section's pages and the index in a fresh folder beside OUTDIR, then swap it in."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from igf_explorer import __version__
from igf_explorer.countries import country_name
from igf_explorer.geometry import MAP_TOPOJSON
from igf_explorer.kit.assets import ASSETS, PLOTLY_JS, asset_files
from igf_explorer.kit.markup import default_template
from igf_explorer.kit.pages import SECTIONS, KitContext, Page, Section, index_page, source_rows
from igf_explorer.metadata import provenance_rows
from igf_explorer.views import load_data

MANIFEST = f"{ASSETS}/kit-manifest.json"
GENERATOR = "igf-explorer export-kit"


class KitError(Exception):
    """The kit cannot be written where asked (OUTDIR is a file, not writable, not empty) or for what was asked."""


@dataclass(frozen=True)
class KitReport:
    """What :func:`export_kit` wrote."""

    outdir: Path
    pages: int
    files: int
    bytes: int
    plotly_bytes: int
    countries: int


def data_version(data_dir: Path) -> str:
    """A short digest of every data file's checksum (from the sidecars): equal data, equal version, on any copy."""
    digest = hashlib.sha256()
    for row in sorted(provenance_rows(data_dir), key=lambda r: r["File"]):
        digest.update(f"{row['File']}\0{row['sha256']}\n".encode())
    return digest.hexdigest()[:12]


def _check_outdir(outdir: Path) -> None:
    """OUTDIR must be a new folder, an empty one, or an earlier kit (replaced whole); anything else is refused."""
    if outdir.exists() and not outdir.is_dir():
        raise KitError(f"{outdir} is a file, not a folder; choose a new or empty folder for the kit")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / MANIFEST).is_file():
        raise KitError(
            f"{outdir} is not empty and holds no earlier kit ({MANIFEST} is missing); choose a new or empty folder"
        )


def _reason(exc: OSError) -> str:
    return exc.strerror or errno.errorcode.get(exc.errno or 0, type(exc).__name__)


def _countries(codes: Sequence[str], available: frozenset[str] | set[str]) -> tuple[str, ...]:
    wanted = [code.strip().upper() for code in codes if code.strip()]
    unknown = [code for code in wanted if code not in available]
    if unknown:
        raise KitError(f"no figure for {', '.join(unknown)}: the kit has pages only for countries with a figure")
    return tuple(sorted(dict.fromkeys(wanted), key=country_name))


def _write(root: Path, relative: str, content: bytes, written: dict[str, int]) -> None:
    if relative in written:
        raise KitError(f"two pages would be written to {relative}")
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    written[relative] = len(content)


def _build(
    staging: Path,
    context: KitContext,
    sections: Sequence[Section],
    progress: Callable[[str], None] | None,
) -> tuple[dict[str, int], int]:
    written: dict[str, int] = {}
    for name, content in asset_files(context.template).items():
        _write(staging, name, content, written)
    listed: list[tuple[Section, list[Page]]] = []
    pages = 0
    for section in sections:
        entries: list[Page] = []
        for page in section.build(context):
            _write(staging, page.path, page.html.encode("utf-8"), written)
            # The index needs only the links; the page's HTML is not kept once written.
            entries.append(Page(page.path, page.title, page.group, ""))
            pages += 1
            if progress and pages % 25 == 0:
                progress(f"{pages} pages written")
        listed.append((section, entries))
    index = index_page(context, listed)
    _write(staging, index.path, index.html.encode("utf-8"), written)
    pages += 1
    manifest = {
        "generator": GENERATOR,
        "version": __version__,
        "data_version": context.data_version,
        "exported": context.exported.isoformat(),
        "pages": pages,
        "files": dict(sorted(written.items())),
    }
    _write(staging, MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"), written)
    return written, pages


def _swap_in(staging: Path, outdir: Path) -> None:
    """Put the finished kit at OUTDIR; an earlier kit there is moved aside first and removed only afterwards."""
    old: Path | None = None
    if outdir.is_dir():
        if any(outdir.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=outdir.parent))
            os.replace(outdir, old / "kit")
        else:
            outdir.rmdir()
    try:
        os.replace(staging, outdir)
    except OSError:
        if old is not None:  # put the earlier kit back rather than leave no kit at all
            os.replace(old / "kit", outdir)
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def export_kit(
    data_dir: Path,
    outdir: Path,
    countries: Sequence[str] | None = None,
    exported: dt.date | None = None,
    sections: Sequence[Section] = SECTIONS,
    progress: Callable[[str], None] | None = None,
) -> KitReport:
    """Write the offline kit to ``outdir``.

    Parameters
    ----------
    data_dir
        The data directory to draw from.
    outdir
        The kit's folder: new, empty, or an earlier kit, which is replaced whole once the new one is complete.
    countries
        ISO3 codes to give a page (default: every country with a figure); for quick exports and tests.
    exported
        The export date the footers give (default: today).
    sections
        The kinds of page, in the index's order (default :data:`igf_explorer.kit.pages.SECTIONS`).
    progress
        Called now and then with a short progress message.

    Returns
    -------
    KitReport
        The pages, files and bytes written.

    Raises
    ------
    KitError
        When ``outdir`` is a file, is not empty and holds no kit, or cannot be written; or a country has no figure.
    igf_explorer.problems.DataError
        When the data directory does not load.
    """
    outdir = Path(os.path.abspath(outdir))
    _check_outdir(outdir)
    data = load_data(data_dir)
    available = data.store.countries
    codes = _countries(countries, available) if countries is not None else _countries(sorted(available), available)
    context = KitContext(
        data=data,
        data_dir=data_dir,
        countries=codes,
        template=default_template(),
        data_version=data_version(data_dir),
        exported=exported or dt.date.today(),
        sources=source_rows(data_dir, [MAP_TOPOJSON.parent.parent]),
    )
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
        # Built beside OUTDIR (same file system, so the final rename is atomic): a failed export leaves no half kit.
        staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.partial-", dir=outdir.parent))
        # mkdtemp makes a private folder (0700); the kit is meant to be copied and shared, so it gets the usual mode.
        mask = os.umask(0)
        os.umask(mask)
        staging.chmod(0o777 & ~mask)
    except OSError as exc:
        raise KitError(f"cannot write the kit to {outdir}: {_reason(exc)}") from None
    try:
        written, pages = _build(staging, context, sections, progress)
        _swap_in(staging, outdir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        where = f" ({exc.filename})" if exc.filename else ""
        raise KitError(f"cannot write the kit to {outdir}: {_reason(exc)}{where}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return KitReport(
        outdir=outdir,
        pages=pages,
        files=len(written),
        bytes=sum(written.values()),
        plotly_bytes=written[f"{ASSETS}/{PLOTLY_JS}"],
        countries=len(codes),
    )
