"""The ``igf-explorer`` command line: export tables and check the data directory."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, shared by ``main`` and the docs test."""
    parser = argparse.ArgumentParser(prog="igf-explorer", description="IGF 2012 Statement Explorer data tools.")
    parser.add_argument(
        "--data-dir",
        help=f"data directory (default: ${DATA_DIR_ENV}, else the repository's data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    export = sub.add_parser("export", help="write a table to stdout")
    export.add_argument("table", choices=["recommendations", "signatories", "themes"])
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.set_defaults(handler=cmd_export)

    check = sub.add_parser("check", help="validate the whole data directory; exit 1 on any problem")
    check.set_defaults(handler=cmd_check)

    rehash = sub.add_parser("rehash", help="update sidecar checksums after a deliberate edit of a data file")
    rehash.set_defaults(handler=cmd_rehash)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 data problem, 2 usage, 3 internal error)."""
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
