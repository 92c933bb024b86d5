"""Generation counters: a number in the cache that a change bumps, so every key built on it is forgotten at once.

The anonymous page cache (civic.pagecache) and the cached leaderboards
(members.scoring) each keep one, under their own key.
"""

import time

from django.core.cache import cache


def current(key):
    """The generation under `key` (0 until first bumped)."""
    return cache.get_or_set(key, 0, timeout=None)


def bump(key):
    """Move the generation under `key` on; works whether or not the cache still holds it."""
    try:
        cache.incr(key)
    except ValueError:
        # Evicted or never set: keys built on the lost value may still be cached, so
        # start from a value no counter reached (counters climb by one from 0).
        cache.set(key, time.time_ns(), timeout=None)
