"""Numbered screenshots of a journey's steps, kept by CI as artefacts.

Each journey gets its own folder, artifacts/screenshots/<journey>/, holding NN-<step>.png in the
order the person went, so a reviewer can page through what the browser showed at every step.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import SHOTS, Visit

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


class Journey:
    """Takes one full-page screenshot per step of a journey, numbered from 01."""

    def __init__(self, visit: Visit, name: str):
        self.visit = visit
        self.name = name
        self.count = 0
        folder = SHOTS / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.png"):  # a renamed step must not leave an old picture behind
            stale.unlink()

    def step(self, label: str) -> Path:
        """Wait until the script has finished (a half-drawn page proves nothing), then shoot."""
        self.count += 1
        self.visit.page.wait_for_selector(IDLE, timeout=60000)
        path = self.visit.shot(f"{self.name}/{self.count:02d}-{label}")
        assert path.stat().st_size > 0
        return path
