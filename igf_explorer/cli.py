"""The ``igf-explorer`` command line: export tables and check the data directory."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from igf_explorer import logs
from igf_explorer.paths import DATA_DIR_ENV, resolve_data_dir
from igf_explorer.problems import DataError, Problem

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _report(problems: Sequence[Problem], header: str) -> None:
    print(header, file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)


def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    """Write one table to stdout."""
    from igf_explorer.export import render_table
    from igf_explorer.statement import load_statement

    if args.table == "indicators":
        from igf_explorer.export import render_indicators

        sys.stdout.write(render_indicators(data_dir, args.indicator, args.format))
        return EXIT_OK
    if args.indicator:
        raise UsageError("--indicator goes with 'export indicators'")

    statement = load_statement(data_dir)
    sys.stdout.write(render_table(statement, args.table, args.format))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, data_dir: Path) -> int:
    """Validate the data directory and report every problem."""
    from igf_explorer.check import check_data_dir

    problems = check_data_dir(data_dir)
    if problems:
        _report(problems, f"{len(problems)} problem(s) in {data_dir}:")
        return EXIT_DATA
    print(f"OK: {data_dir} passed every check.")
    return EXIT_OK


def cmd_rehash(args: argparse.Namespace, data_dir: Path) -> int:
    """Update sidecar checksums of deliberately edited files."""
    from igf_explorer.metadata import rehash

    updated = rehash(data_dir)
    for path in updated:
        print(f"updated {path.relative_to(data_dir)}")
    if not updated:
        print("every sidecar checksum already matches its file")
    return EXIT_OK


def _country_codes(text: str) -> list[str]:
    codes = [code.strip().upper() for code in text.split(",") if code.strip()]
    if not codes:
        raise argparse.ArgumentTypeError(f"expected ISO3 codes separated by commas, e.g. PAK,NGA, got '{text}'")
    return codes


def cmd_export_kit(args: argparse.Namespace, data_dir: Path) -> int:
    """Write the offline kit (self-contained HTML pages for file://) to OUTDIR and report its size."""
    from igf_explorer.kit import KitError, export_kit

    def progress(message: str) -> None:
        # Only for a person watching: a full export takes half a minute or more, and logs or pipes need no ticker.
        if sys.stderr.isatty():
            print(f"export-kit: {message}", file=sys.stderr)

    try:
        report = export_kit(data_dir, Path(args.outdir), countries=args.countries, progress=progress)
    except KitError as exc:
        raise UsageError(str(exc)) from None
    share = 100 * report.plotly_bytes / report.bytes if report.bytes else 0.0
    print(
        f"wrote {report.pages} pages ({report.countries} countries) in {report.files} files, "
        f"{report.bytes:,} bytes, to {report.outdir} (plotly.js: {report.plotly_bytes:,} bytes, {share:.0f}%)"
    )
    print(f"open {report.outdir / 'index.html'} in a browser; no server or internet is needed")
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace, data_dir: Path) -> int:
    """Write the static snapshots of the deck's share slides (or of ``--view`` links) for a large audience."""
    from igf_explorer.share import BaseURLError, check_base
    from igf_explorer.snapshot import SNAPSHOT_PATH_ENV, SnapshotError, snapshot_settings, write_snapshots

    environ = dict(os.environ)
    if args.served_path:
        environ[SNAPSHOT_PATH_ENV] = args.served_path
    try:
        settings = snapshot_settings(environ)
        base = check_base(args.base) if args.base else None
        outdir = Path(args.outdir) if args.outdir else settings.directory
        results = write_snapshots(data_dir, outdir, args.view, settings.served_path, base, args.force)
    except (SnapshotError, BaseURLError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write the snapshots: {exc.strerror or exc}") from None
    if not results:
        print("the deck has no share slide; name views with --view /map?theme=blocking")
    for result in results:
        done = "wrote" if result.written else "up to date:"
        where = f"/{settings.served_path}/{result.target.name}/index.html"
        print(f"{done} {result.page} ({result.target.link}, data version {result.data_version}), served at {where}")
    return EXIT_OK


def _parse_overrides(pairs: Sequence[str], files: Sequence[str]) -> dict[str, str]:
    """``NAME=ISO3`` pairs and CSV/YAML files of them (columns ``name,iso3``); every bad entry is reported."""
    from igf_explorer.ingest.overrides import parse_override_lines, read_override_file

    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for file in files:
        path = Path(file)
        if not path.is_file():
            raise UsageError(f"no such overrides file: {path}")
        found, bad = read_override_file(path)
        mapping.update(found)
        problems += bad
    found, bad = parse_override_lines(pairs, "--override")
    mapping.update(found)
    problems += bad
    if problems:
        raise UsageError("; ".join(str(p) for p in problems))
    return mapping


class UsageError(Exception):
    """A command-line mistake: exit code 2."""


def _years(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected START-END, e.g. 2005-2023, got '{text}'") from None


def cmd_ingest(args: argparse.Namespace, data_dir: Path) -> int:
    """Load a producer's file into the indicator store (or only report, with --dry-run)."""
    from igf_explorer.ingest.history import StoreWriteError
    from igf_explorer.ingest.options import Options
    from igf_explorer.ingest.pipeline import run_ingest
    from igf_explorer.ingest.report import report_lines

    path = Path(args.path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    overrides = _parse_overrides(args.override or [], args.overrides or [])
    options = Options(
        indicator=args.indicator,
        edition=args.edition,
        years=args.years,
        replace=args.replace,
        allow_older=args.allow_older,
        vintage=args.vintage,
        scale=args.scale,
    )
    try:
        report = run_ingest(
            path, data_dir, args.format, options, dry_run=args.dry_run, overrides=overrides, max_bytes=args.max_bytes
        )
    except StoreWriteError as exc:
        print(f"{path.name}: {exc}", file=sys.stderr)
        return EXIT_DATA
    lines = report_lines(report, args.dry_run)
    print("\n".join(lines), file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_DATA


def cmd_history(args: argparse.Namespace, data_dir: Path) -> int:
    """List the recorded states of the indicator store."""
    from igf_explorer.ingest.history import read_log

    entries = read_log(data_dir)
    if not entries:
        print("no history yet: nothing has been ingested")
    for entry in entries:
        what = entry.get("input") or entry.get("restored") or entry.get("note", "")
        summary = entry.get("summary") or {}
        counts = (
            f" +{summary.get('added', 0)} ~{summary.get('changed', 0)} -{summary.get('removed', 0)}" if summary else ""
        )
        print(f"{entry['id']}  {entry['time']}  {entry['action']:<8} {entry.get('dataset', ''):<15} {what}{counts}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, data_dir: Path) -> int:
    """Put the indicator store back to a recorded state."""
    from igf_explorer.ingest.history import StoreWriteError, restore

    try:
        entry = restore(data_dir, args.entry)
    except KeyError:
        raise UsageError(f"no history entry '{args.entry}' (see igf-explorer history)") from None
    except StoreWriteError as exc:  # a full disk, a lock held too long, or a history object that fails its checksum
        print(f"restore {args.entry}: {exc}", file=sys.stderr)
        return EXIT_DATA
    print(f"restored the state of entry {args.entry}; recorded as entry {entry['id']}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, shared by ``main`` and the docs test."""
    parser = argparse.ArgumentParser(prog="igf-explorer", description="IGF 2012 Statement Explorer data tools.")
    parser.add_argument(
        "--data-dir",
        help=f"data directory (default: ${DATA_DIR_ENV}, else the repository's data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    export = sub.add_parser("export", help="write a table to stdout")
    export.add_argument("table", choices=["recommendations", "signatories", "themes", "indicators"])
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--indicator", help="with 'indicators': only this indicator id")
    export.set_defaults(handler=cmd_export)

    kit = sub.add_parser(
        "export-kit", help="write the offline kit: self-contained HTML pages that open from a folder (file://)"
    )
    kit.add_argument("outdir", help="a new or empty folder, or an earlier kit (replaced once the new one is complete)")
    kit.add_argument(
        "--countries",
        type=_country_codes,
        metavar="ISO3,ISO3",
        help="only these countries' pages (default: every country with a figure)",
    )
    kit.set_defaults(handler=cmd_export_kit)

    snapshot = sub.add_parser(
        "snapshot", help="write static snapshots of views (default: every share slide of the deck) for an audience"
    )
    snapshot.add_argument(
        "outdir",
        nargs="?",
        help="the folder served at --served-path (default: $IGF_EXPLORER_SNAPSHOT_DIR or static/snapshot)",
    )
    snapshot.add_argument(
        "--view", action="append", metavar="LINK", help="a view, e.g. '/map?theme=blocking' (repeatable)"
    )
    snapshot.add_argument(
        "--served-path",
        help="the URL path serving OUTDIR under the app's address: 'snapshot' behind nginx "
        "(default: $IGF_EXPLORER_SNAPSHOT_PATH or app/static/snapshot, Streamlit's static folder)",
    )
    snapshot.add_argument("--base", help="the live explorer's public address, for absolute links (default: relative)")
    snapshot.add_argument("--force", action="store_true", help="rewrite snapshots that are up to date")
    snapshot.set_defaults(handler=cmd_snapshot)

    check = sub.add_parser("check", help="validate the whole data directory; exit 1 on any problem")
    check.set_defaults(handler=cmd_check)

    from igf_explorer.ingest.reading import DEFAULT_MAX_BYTES

    ingest = sub.add_parser("ingest", help="load a producer's file into data/indicators (validated; atomic; recorded)")
    ingest.add_argument("path")
    from igf_explorer.ingest.formats import LOADABLE
    from igf_explorer.ingest.options import REPLACE_CHOICES

    ingest.add_argument("--format", default="auto", choices=["auto", *LOADABLE])
    ingest.add_argument("--indicator", help="indicator id the values belong to (when the file does not say)")
    ingest.add_argument("--edition", type=int, help="edition or year the file is for (when the file does not say)")
    ingest.add_argument("--years", type=_years, help="keep only these years, e.g. 2005-2023")
    ingest.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    ingest.add_argument(
        "--replace",
        choices=REPLACE_CHOICES,
        default="none",
        help="none (default): add and update rows, remove nothing; edition: also remove the stored rows of the "
        "periods in the file that it does not hold; series: replace the whole dataset",
    )
    ingest.add_argument("--allow-older", action="store_true", help="let an older vintage replace the stored one")
    ingest.add_argument("--vintage", help="vintage of a file that does not state it (YYYY-MM or YYYY-MM-DD)")
    ingest.add_argument(
        "--scale",
        choices=["lower_is_freer", "higher_is_freer"],
        help="scale of a FOTN file that has neither statuses nor a scale column",
    )
    ingest.add_argument("--override", action="append", metavar="NAME=ISO3", help="resolve a country name (repeatable)")
    ingest.add_argument(
        "--overrides", action="append", metavar="FILE", help="CSV (name,iso3) or YAML file of name overrides"
    )
    ingest.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest input accepted (default 50 MB)"
    )
    ingest.set_defaults(handler=cmd_ingest)

    history = sub.add_parser("history", help="list the recorded states of data/indicators")
    history.set_defaults(handler=cmd_history)
    restore = sub.add_parser("restore", help="put data/indicators back to a recorded state")
    restore.add_argument("entry", help="history entry id")
    restore.set_defaults(handler=cmd_restore)

    rehash = sub.add_parser("rehash", help="update sidecar checksums after a deliberate edit of a data file")
    rehash.set_defaults(handler=cmd_rehash)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 data problem, 2 usage, 3 internal error)."""
    logs.configure()  # ingests and restores as JSON lines on standard error, beside the report on standard output
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    data_dir = resolve_data_dir(args.data_dir)
    try:
        return int(args.handler(args, data_dir))
    except DataError as exc:
        _report(exc.problems, f"{len(exc.problems)} problem(s) in {data_dir}:")
        return EXIT_DATA
    except UsageError as exc:
        print(f"igf-explorer: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a traceback is never the message a user gets
        print(f"igf-explorer: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("IGF_EXPLORER_DEBUG"):
            traceback.print_exc()
        else:
            print("Set IGF_EXPLORER_DEBUG=1 to see the traceback.", file=sys.stderr)
        return EXIT_INTERNAL


def main_exit() -> None:
    """Console-script entry point."""
    sys.exit(main())
