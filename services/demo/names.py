"""Compound names drawn from the word lists, each used once in the county."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

from services.demo.vocabulary import (
    ESTATE_PREFIXES,
    ESTATE_SUFFIXES,
    OLD_SUFFIXES,
    OLD_WORK_UNITS,
    RESETTLEMENT_SUFFIXES,
)


class CompoundNames:
    """Draws unused names: estates (锦绣花园), work-unit housing and resettlement compounds."""

    def __init__(self, rng: random.Random, taken: Iterable[str]) -> None:
        self.rng = rng
        self.taken = set(taken)

    def _claim(self, make: Callable[[bool], str]) -> str:
        for attempt in range(40):
            name = make(attempt >= 12)
            if name not in self.taken:
                self.taken.add(name)
                return name
        base, k = make(True), 2
        while f"{base}{k}期" in self.taken:
            k += 1
        self.taken.add(f"{base}{k}期")
        return f"{base}{k}期"

    def estate(self) -> str:
        rng = self.rng

        def make(double: bool) -> str:
            prefix = rng.choice(ESTATE_PREFIXES)
            if double:
                prefix = rng.choice(ESTATE_PREFIXES) + prefix
            return prefix + rng.choice(ESTATE_SUFFIXES)

        return self._claim(make)

    def old(self, qualifiers: tuple[str, ...]) -> str:
        """Work-unit housing (粮站宿舍); a street or town qualifier tells equal ones apart."""
        rng = self.rng

        def make(qualified: bool) -> str:
            unit = rng.choice(OLD_WORK_UNITS) + rng.choice(OLD_SUFFIXES)
            return (rng.choice(qualifiers) if qualified else qualifiers[0]) + unit

        return self._claim(make)

    def resettlement(self, qualifiers: tuple[str, ...]) -> str:
        rng = self.rng

        def make(qualified: bool) -> str:
            name = rng.choice(ESTATE_PREFIXES) + rng.choice(RESETTLEMENT_SUFFIXES)
            return (rng.choice(qualifiers) if qualified else qualifiers[0]) + name

        return self._claim(make)
