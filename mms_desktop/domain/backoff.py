"""When to try sending again: exponential backoff with jitter, honouring Retry-After.

Backoff paces the automatic worker only; "Wyślij teraz" tries everything at once.
"""

from __future__ import annotations

BASE_DELAY_S = 30.0
MAX_DELAY_S = 6 * 3600.0


def next_delay(attempts: int, retry_after_s: float | None, jitter: float) -> float:
    """Seconds to wait after ``attempts`` failed tries; ``jitter`` in [0, 1).

    "Equal jitter": half the exponential delay plus a random half, so many
    laptops coming online at once do not all knock at the same second.
    """
    delay: float = min(MAX_DELAY_S, BASE_DELAY_S * 2.0 ** min(attempts, 20))
    delay = delay / 2 + delay / 2 * jitter
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, MAX_DELAY_S))
    return delay
