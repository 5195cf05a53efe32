"""Seeded drawing helpers: sub-seeds, Poisson counts, weighted picks, days and quotas."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from bisect import bisect
from collections.abc import Callable, Mapping
from itertools import accumulate
from typing import Any, TypeVar

T = TypeVar("T")


def sub_seed(seed: int, key: str) -> int:
    """A seed of its own for ``key`` (a compound code), so its draws do not depend on the others."""
    return int.from_bytes(hashlib.sha256(f"linli-demo:{seed}:{key}".encode()).digest()[:8], "big")


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson count (Knuth's method; a rounded normal for large means)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class Pick:
    """A weighted choice with its cumulative weights computed once (zero weights never win)."""

    __slots__ = ("cum", "keys")

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.keys = [k for k, w in weights.items() if w > 0]
        self.cum = list(accumulate(w for w in weights.values() if w > 0))

    def __call__(self, rng: random.Random) -> Any:
        return self.keys[bisect(self.cum, rng.random() * self.cum[-1])]


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its weight."""
    return Pick(weights)(rng)


def day_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A uniformly drawn day from ``lo`` to ``hi`` inclusive (``lo`` when ``hi`` is earlier)."""
    return lo + dt.timedelta(days=int(rng.random() * (max(0, (hi - lo).days) + 1)))


def sample_quota(
    rng: random.Random, items: list[T], share: float, weight: Callable[[T], float] | None = None
) -> list[T]:
    """round(share * len(items)) of ``items``, weighted if ``weight`` is given, in their order."""
    k = round(share * len(items))
    if k <= 0:
        return []
    keyed = [(rng.random() ** (1.0 / (weight(x) if weight else 1.0)), i) for i, x in enumerate(items)]
    keyed.sort(reverse=True)
    return [items[i] for i in sorted(i for _, i in keyed[:k])]


def allocate(n: int, weights: list[float]) -> list[int]:
    """Largest-remainder allocation of ``n`` items in proportion to ``weights``."""
    total = sum(weights)
    raw = [n * w / total for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: n - sum(out)]:
        out[i] += 1
    return out
