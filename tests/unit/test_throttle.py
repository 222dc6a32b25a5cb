"""The token throttle: exponential backoff per key with a cap, shared across threads, on a fake clock."""

from __future__ import annotations

import threading

from igf_explorer.throttle import Throttle


class FakeTime:
    """A clock that only moves when the throttle sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def throttle(clock: FakeTime, **kwargs: float) -> Throttle:
    return Throttle(clock=clock.clock, sleep=clock.sleep, **kwargs)


def wrong_tokens(gate: Throttle, clock: FakeTime, count: int, keys: list[tuple[str, str]]) -> float:
    start = clock.now
    for _ in range(count):
        gate.attempt(keys)
    return clock.now - start


def test_ten_wrong_tokens_take_at_least_ten_times_as_long_as_one() -> None:
    one_clock, ten_clock = FakeTime(), FakeTime()
    one = wrong_tokens(throttle(one_clock), one_clock, 1, [("session", "a")])
    ten = wrong_tokens(throttle(ten_clock), ten_clock, 10, [("session", "a")])
    assert one == 0.5
    assert ten == 0.5 + 1 + 2 + 4 + 8 + 16 + 30 * 4  # doubling, capped at 30 s
    assert ten >= 10 * one


def test_the_address_is_throttled_across_sessions() -> None:
    clock = FakeTime()
    gate = throttle(clock)
    for session in "abcde":  # a new session per try (reloading the page) does not start afresh
        gate.attempt([("session", session), ("address", "192.0.2.7")])
    assert gate.count([("session", "f"), ("address", "192.0.2.7")]) == 5
    assert gate.attempt([("session", "f"), ("address", "192.0.2.7")]) == 16.0
    assert gate.attempt([("session", "g"), ("address", "198.51.100.1")]) == 0.5  # another address is not slowed


def test_a_right_token_clears_its_keys_and_quiet_forgets() -> None:
    clock = FakeTime()
    gate = throttle(clock, forget_after=100)
    keys = [("session", "a")]
    wrong_tokens(gate, clock, 4, keys)
    gate.succeeded(keys)
    assert gate.count(keys) == 0
    wrong_tokens(gate, clock, 4, keys)
    clock.now += 101
    assert gate.count(keys) == 0 and gate.attempt(keys) == 0.5


def test_attempts_at_once_wait_longer_and_longer() -> None:
    """Each attempt is counted before it waits: a burst of parallel guesses does not share one short wait."""
    waits: list[float] = []
    lock = threading.Lock()
    release = threading.Event()

    def sleep(seconds: float) -> None:
        with lock:
            waits.append(seconds)
        release.wait(5)

    gate = Throttle(sleep=sleep)
    threads = [threading.Thread(target=gate.attempt, args=([("address", "192.0.2.7")],)) for _ in range(6)]
    for thread in threads:
        thread.start()
    while len(waits) < 6:
        release.wait(0.01)
    release.set()
    for thread in threads:
        thread.join()
    assert sorted(waits) == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
