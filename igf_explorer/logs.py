"""Structured logs: one JSON object per line on the ``igf_explorer`` logger, never a visitor's data.

Every event is ``{"event": NAME, "time": ISO-8601 UTC, ...fields}``. Callers pass only what an operator needs to
see what happened: file names, formats, datasets, counts, outcomes, limits. Never a token, a query string or the
contents of an upload; who did it is a salted hash (:func:`pseudonym`), stable while the process runs and useless
to anyone who reads the log later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sys
from datetime import UTC, datetime
from typing import IO, Any

LOGGER_NAME = "igf_explorer"
logger = logging.getLogger(LOGGER_NAME)
# A new salt every process: a hash links one visitor's events within a run, never to an address afterwards.
_SALT = secrets.token_bytes(16)
_HANDLER_NAME = "igf_explorer.json"


def pseudonym(value: str | None) -> str | None:
    """A salted, shortened hash of ``value`` (a session id, a client address); None stays None."""
    if value is None:
        return None
    return hashlib.sha256(_SALT + value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def line(name: str, **fields: Any) -> str:
    """The JSON text of one event (no newline inside: JSON escapes any in the values)."""
    record = {"event": name, "time": datetime.now(UTC).isoformat(timespec="milliseconds"), **fields}
    return json.dumps(record, ensure_ascii=False, default=str)


class _JsonLines(logging.Formatter):
    """Events as they are; any other record of the ``igf_explorer`` loggers (a warning) as a ``message`` event."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, _EVENT_MARK, False):
            return record.getMessage()
        return line("message", level=record.levelname, logger=record.name, message=record.getMessage())


_EVENT_MARK = "igf_event"


def event(name: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event as a JSON line.

    Example
    -------
    >>> event("ingest", input="fotn.csv", rows_added=3, dry_run=True)  # doctest: +SKIP
    """
    if logger.isEnabledFor(level):
        logger.log(level, "%s", line(name, **fields), extra={_EVENT_MARK: True})


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at each event (a test's capture, or the terminal)."""

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, value: IO[str]) -> None:
        pass  # StreamHandler.__init__ sets it; the property always answers the current sys.stderr


def configure(stream: IO[str] | None = None, level: int = logging.INFO) -> None:
    """Send the events to ``stream`` (standard error by default), one per line.

    Without a stream, calling it again changes nothing (the app and the command line both call it); a stream given
    takes the place of the one set before.
    """
    held = [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]
    if held and stream is None:
        return
    for handler in held:
        logger.removeHandler(handler)
    added: logging.Handler = logging.StreamHandler(stream) if stream is not None else _CurrentStderr()
    added.set_name(_HANDLER_NAME)
    added.setFormatter(_JsonLines())
    logger.addHandler(added)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
