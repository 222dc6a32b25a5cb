"""Slow down guessing: each wrong secret doubles the wait before the next answer, per session and per address.

One process-wide :class:`Throttle` holds a count of refusals per key (``("session", id)``, ``("address", ip)``)
behind a lock. An attempt first reserves its place (the count goes up before the wait, so a hundred attempts sent
at once wait longer and longer instead of all at the same time), then waits, then is checked; a right answer clears
its keys. Counts are forgotten after a quiet spell. The clock and the sleep are injectable for tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

Key = Hashable
BASE_SECONDS = 0.5
CAP_SECONDS = 30.0
FORGET_AFTER_SECONDS = 3600.0


@dataclass
class _Entry:
    count: int
    last: float


class Throttle:
    """Exponential backoff on refusals, shared by every session of the process.

    The wait before attempt ``n + 1`` after ``n`` refusals is ``min(cap, base × 2**n)``: 0.5 s, 1 s, 2 s, … 30 s.

    Example
    -------
    >>> now = [0.0]
    >>> gate = Throttle(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> gate.attempt([("session", "a")]), gate.attempt([("session", "a")])
    (0.5, 1.0)
    """

    def __init__(
        self,
        base: float = BASE_SECONDS,
        cap: float = CAP_SECONDS,
        forget_after: float = FORGET_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base, self.cap, self.forget_after = base, cap, forget_after
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._entries: dict[Key, _Entry] = {}

    def delay(self, count: int) -> float:
        """The wait after ``count`` earlier refusals (the first attempt waits ``base``)."""
        return float(min(self.cap, self.base * 2 ** min(count, 64)))

    def _live(self, key: Key, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and now - entry.last > self.forget_after:
            del self._entries[key]
            return None
        return entry

    def count(self, keys: Iterable[Key]) -> int:
        """The most refusals (and attempts under way) any of ``keys`` has."""
        with self._lock:
            now = self._clock()
            return max((e.count for k in keys if (e := self._live(k, now)) is not None), default=0)

    def attempt(self, keys: Iterable[Key]) -> float:
        """Reserve one attempt for ``keys`` and wait its turn; returns the seconds waited.

        The attempt counts as a refusal until :meth:`succeeded` clears it.
        """
        wanted = [k for k in keys if k is not None]
        with self._lock:
            now = self._clock()
            count = max((e.count for k in wanted if (e := self._live(k, now)) is not None), default=0)
            for key in wanted:
                entry = self._live(key, now)
                if entry is None:
                    self._entries[key] = _Entry(1, now)
                else:
                    entry.count, entry.last = entry.count + 1, now
        wait = self.delay(count)
        self._sleep(wait)  # outside the lock: other keys' attempts are not held up
        return wait

    def succeeded(self, keys: Iterable[Key]) -> None:
        """A right answer: forget these keys' refusals."""
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._entries.clear()
