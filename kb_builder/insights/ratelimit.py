"""A per-address rate limit, in memory only: addresses are never written anywhere.

A token bucket per client address: `burst` requests at once, then `per_minute` a minute. The
table is bounded (`max_clients`, least recently seen forgotten first), so a flood of addresses
costs memory once, not without end; a restart forgets everything.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimit:
    """How many writes each client address may make.

    Args:
        per_minute: the sustained rate of one address.
        burst: how many requests an address may make at once (a visitor answering several FAQ
            questions in a row).
        max_clients: how many addresses are remembered at most.
        clock: monotonic seconds (tests give their own).
    """

    def __init__(
        self,
        per_minute: float = 30,
        burst: int = 20,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, client: str) -> tuple[bool, int]:
        """Whether `client` may make a request now, and if not, in how many seconds."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        if allowed:
            return True, 0
        return False, max(1, int((1.0 - tokens) / self.rate + 0.999)) if self.rate else 60
