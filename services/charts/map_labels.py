"""Where the map's town names go: each label is moved off its town centre, in screen pixels, to a
spot clear of the other labels and, where one exists, of the compound dots, at the zoom the map
opens on. deck.gl's collision filter is an extension pydeck cannot load offline, so the places
are worked out here, once, from the same Web-Mercator geometry deck.gl draws with."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from services.charts.common import label_px

LABEL_PX = 13  # font size of a town name
PADDING = (4, 2)  # the label's white background around the text, x and y
# candidate directions, best first (above the town, then below, right, left, the corners)
DIRECTIONS = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))
DISTANCES = (16, 28, 42, 60)  # pixels from the town centre to the label's nearest edge


@dataclass(frozen=True)
class Box:
    """A label's rectangle on screen: centre and half sizes, in pixels."""

    x: float
    y: float
    half_w: float
    half_h: float

    def overlaps(self, other: Box, margin: float = 2.0) -> bool:
        return (
            abs(self.x - other.x) < self.half_w + other.half_w + margin
            and abs(self.y - other.y) < self.half_h + other.half_h + margin
        )


def screen_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web-Mercator pixel position at ``zoom`` (deck.gl: the world is 512 px wide at zoom 0)."""
    world = 512 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * world, (1 - y / math.pi) / 2 * world


def label_size(name: str) -> tuple[float, float]:
    """Half width and half height of a label with its background."""
    return label_px(name, LABEL_PX) / 2 + PADDING[0], LABEL_PX * 0.65 + PADDING[1]


def label_boxes(labels: list[dict], zoom: float) -> list[Box]:
    """The rectangles of labels drawn at ``(lat, lon)`` moved by ``offset`` pixels."""
    boxes = []
    for label in labels:
        x, y = screen_px(label["lat"], label["lon"], zoom)
        half_w, half_h = label_size(label["name"])
        boxes.append(Box(x + label["offset"][0], y + label["offset"][1], half_w, half_h))
    return boxes


def place_labels(towns: list[dict], dots: list[dict], zoom: float) -> list[list[int]]:
    """A pixel offset per town (``name``, ``lat``, ``lon``) so that no two labels overlap at
    ``zoom``, each label sits nearer its own town's dots than another town's, and as few dots
    (``lat``, ``lon``, ``radius`` in pixels, ``town``) as possible lie under one.

    The dots near a town are scored against each candidate place at once (numpy arrays): a
    province's map has 30,000 dots, and one by one they took seconds on every rerun."""
    positions = [screen_px(d["lat"], d["lon"], zoom) for d in dots]
    dot_x = np.array([p[0] for p in positions], dtype=float)
    dot_y = np.array([p[1] for p in positions], dtype=float)
    dot_r = np.array([float(d["radius"]) + 1 for d in dots], dtype=float)
    dot_town = np.array([d.get("town") for d in dots], dtype=object)
    placed: list[Box] = []
    offsets = []
    for town in towns:
        x, y = screen_px(town["lat"], town["lon"], zoom)
        half_w, half_h = label_size(town["name"])
        reach_x, reach_y = DISTANCES[-1] + 2 * half_w, DISTANCES[-1] + 2 * half_h
        near = (np.abs(dot_x - x) < reach_x + dot_r) & (np.abs(dot_y - y) < reach_y + dot_r)
        nx, ny, nr, own = dot_x[near], dot_y[near], dot_r[near], dot_town[near] == town["name"]
        best: tuple | None = None
        for rank, (distance, (dx, dy)) in enumerate((d, v) for d in DISTANCES for v in DIRECTIONS):
            offset = [round(dx * (distance + half_w)), round(dy * (distance + half_h))]
            box = Box(x + offset[0], y + offset[1], half_w, half_h)
            clashes = sum(box.overlaps(other) for other in placed)
            score = (clashes, _misleading(box, nx, ny, own), _covered(box, nx, ny, nr), rank)
            if best is None or score < best[0]:
                best = (score, offset, box)
        assert best is not None
        offsets.append(best[1])
        placed.append(best[2])
    return offsets


def _covered(box: Box, x: np.ndarray, y: np.ndarray, radius: np.ndarray) -> int:
    """How many of the dots (centres ``x``, ``y``, ``radius``) the label's rectangle touches: the
    rectangle's point nearest a dot's centre lies inside the dot."""
    nearest_x = np.minimum(np.maximum(x, box.x - box.half_w), box.x + box.half_w)
    nearest_y = np.minimum(np.maximum(y, box.y - box.half_h), box.y + box.half_h)
    return int(np.count_nonzero((x - nearest_x) ** 2 + (y - nearest_y) ** 2 < radius**2))


def _misleading(box: Box, x: np.ndarray, y: np.ndarray, own: np.ndarray) -> bool:
    """Whether the dot nearest the label belongs to another town (the label would name it)."""
    if not len(x):
        return False
    return not bool(own[int(np.argmin((x - box.x) ** 2 + (y - box.y) ** 2))])
