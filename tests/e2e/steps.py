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


def see(page, text: str) -> None:
    """Wait (up to 20 s) for the text: a step reruns the page once more after the click."""
    page.get_by_text(text).first.wait_for(timeout=20000)


def choose(page, label: str, option_part: str) -> None:
    """Type part of the option's text to filter the list, then take the first match; the list may
    not open on the first click while the page is still settling, so try up to three times."""
    box = page.get_by_role("combobox", name=label, exact=True)
    option = page.get_by_role("option").filter(has_text=option_part).first
    for _ in range(3):
        box.click()
        box.fill(option_part)
        try:
            option.wait_for(timeout=8000)
        except Exception:  # playwright's TimeoutError: close the list and try again
            page.keyboard.press("Escape")
            page.wait_for_timeout(1000)
            continue
        page.keyboard.press("Enter")
        return
    raise AssertionError(f"no option containing {option_part!r} in {label!r}")
