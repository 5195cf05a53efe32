"""The compound map: dots sized by households and coloured by a figure (a colour-blind-safe 5-class
scale), town labels, optional outlines and the legend; never an online basemap (``map_provider=None``)."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pydeck as pdk

from services import formatting
from services.charts.common import FONT
from services.charts.map_labels import LABEL_PX, PADDING, place_labels
from services.i18n import t

SEQUENTIAL = [(199, 233, 180), (127, 205, 187), (65, 182, 196), (44, 127, 184), (37, 52, 148)]
NO_DATA_RGB = (170, 170, 170)

MAP_METRICS = (
    "activities_per_100_households",
    "disputes_per_100_households",
    "closure_rate",
    "reporting_rate",
    "households_visited",
    "cases_received",
)
RATE_METRICS = {"closure_rate", "reporting_rate"}


def format_metric(metric: str, value, lang: str = "zh") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("map.no_value", lang)
    if metric in RATE_METRICS:
        return formatting.percent(value)
    if metric.endswith("per_100_households"):
        return f"{float(value):.2f}"
    return formatting.number(value, lang)


def class_breaks(values: pd.Series, classes: int = len(SEQUENTIAL)) -> list[float]:
    """Quantile breaks (upper bounds of all classes but the last), distinct and sorted."""
    clean = values.dropna()
    if clean.empty:
        return []
    qs = clean.quantile([i / classes for i in range(1, classes)]).tolist()
    return sorted({float(f"{q:.2g}") for q in qs})  # two significant figures: breaks a person can read


def colour_for(value, breaks: list[float]) -> tuple[int, int, int]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA_RGB
    for i, upper in enumerate(breaks):
        if value <= upper:
            return SEQUENTIAL[min(i, len(SEQUENTIAL) - 1)]
    return SEQUENTIAL[min(len(breaks), len(SEQUENTIAL) - 1)]


DOT_PIXELS = (4.0, 11.0)  # smallest and largest dot radius on screen


def dot_pixels(households: pd.Series) -> pd.Series:
    """Dot radius in screen pixels, by the square root of households within ``DOT_PIXELS``."""
    root = households.clip(lower=1).astype(float).map(math.sqrt)
    low, high = DOT_PIXELS
    span = root.max() - root.min()
    if not span or math.isnan(span):
        return pd.Series(low + (high - low) / 2, index=households.index)
    return low + (root - root.min()) / span * (high - low)


def legend_rows(metric: str, breaks: list[float], lang: str = "zh") -> list[tuple[tuple[int, int, int], str]]:
    """(colour, label) pairs describing each class, plus the no-data grey."""
    rows = []
    lower = None
    for i, upper in enumerate([*breaks, None]):
        lo = "" if lower is None else format_metric(metric, lower, lang)
        hi = "" if upper is None else format_metric(metric, upper, lang)
        if upper == 0 and lower is None:
            label = "0"  # many compounds have none: their own class, not "≤ 0.00"
        else:
            label = f"≤ {hi}" if lower is None else (f"> {lo}" if upper is None else f"{lo} – {hi}")
        rows.append((SEQUENTIAL[min(i, len(SEQUENTIAL) - 1)], label))
        lower = upper
    rows.append((NO_DATA_RGB, t("map.no_value", lang)))
    return rows


MAP_HEIGHT_PX = 620


def fit_view(lats: list[float], lons: list[float], *, width_px: int, height_px: int) -> pdk.ViewState:
    """The Web-Mercator view that shows every point with a margin (county, town or compound)."""
    if not lats:
        return pdk.ViewState(latitude=29.80, longitude=103.25, zoom=9)
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(east - west, 0.004) / 360
    span_y = max(mercator_y(north) - mercator_y(south), math.radians(0.004)) / (2 * math.pi)
    # deck.gl (like Mapbox GL) draws the whole world 512 px wide at zoom 0
    zoom = math.log2(min(width_px / (512 * span_x), height_px / (512 * span_y))) - 0.3  # margin
    centre_lat = math.degrees(2 * math.atan(math.exp((mercator_y(north) + mercator_y(south)) / 2)) - math.pi / 2)
    return pdk.ViewState(latitude=centre_lat, longitude=(west + east) / 2, zoom=round(min(zoom, 16), 2))


def compound_map(
    compounds: pd.DataFrame, towns: pd.DataFrame, metric: str, lang: str = "zh", *, boundaries: dict | None = None
) -> tuple[pdk.Deck, list[tuple[tuple[int, int, int], str]]]:
    """A Deck with one dot per compound (radius ~ sqrt(households), colour ~ metric) and town
    labels, plus its legend rows. Tooltips are plain text, never HTML. ``boundaries`` (a
    GeoJSON FeatureCollection from ``services.boundaries``) is drawn underneath as outlines."""
    data = compounds.dropna(subset=["lat", "lon"]).copy()
    breaks = class_breaks(pd.to_numeric(data[metric], errors="coerce"))
    data["colour"] = [list(colour_for(v, breaks)) for v in pd.to_numeric(data[metric], errors="coerce")]
    data["radius"] = dot_pixels(data["households"])
    metric_label = t(f"col.{metric}", lang)
    data["tooltip"] = [
        t(
            "map.tooltip",
            lang,
            name=row.name,
            town=row.town,
            households=f"{int(row.households):,}",
            metric=metric_label,
            value=format_metric(metric, getattr(row, metric), lang),
        )
        for row in data.itertuples()
    ]
    columns = ["compound_id", "code", "name", "lat", "lon", "colour", "radius", "tooltip"]
    dots = pdk.Layer(
        "ScatterplotLayer",
        id="compounds",
        data=data[columns].to_dict("records"),
        get_position=["lon", "lat"],
        get_fill_color="colour",
        get_radius="radius",
        radius_units="'pixels'",  # the same size at every zoom: a town's compounds never merge into one carpet
        stroked=True,
        get_line_color=[60, 60, 60],
        line_width_min_pixels=1,
        pickable=True,
        opacity=0.85,
    )
    points = data[["lat", "lon"]] if not data.empty else towns[["lat", "lon"]].dropna()
    view = fit_view(points["lat"].tolist(), points["lon"].tolist(), width_px=900, height_px=MAP_HEIGHT_PX)
    label_data = towns.dropna(subset=["lat", "lon"])[["name", "lat", "lon"]].to_dict("records")
    # town centres of 止戈镇, 将军镇 and 洪川镇 lie a few km apart, inside their compounds' dots
    placed = place_labels(label_data, data[["lat", "lon", "radius", "town"]].to_dict("records"), view.zoom)
    for row, offset in zip(label_data, placed, strict=True):
        row["offset"] = offset
    characters = sorted({ch for row in label_data for ch in row["name"]})
    labels = pdk.Layer(
        "TextLayer",
        id="towns",
        data=label_data,
        get_position=["lon", "lat"],
        get_text="name",
        get_size=LABEL_PX,
        get_color=[30, 30, 30],
        get_pixel_offset="offset",
        background=True,  # readable over the dots it may still cover
        get_background_color=[255, 255, 255, 225],
        background_padding=list(PADDING),
        # pydeck turns bare strings into JS expressions; quoted ones stay literal values
        font_family=f"'{FONT}'",
        character_set="'" + "".join(characters) + "'",
        pickable=False,
    )
    layers = [dots, labels]
    if boundaries and boundaries.get("features"):
        outlines = pdk.Layer(
            "GeoJsonLayer",
            id="boundaries",
            data=boundaries,
            stroked=True,
            filled=True,
            get_fill_color=[0, 0, 0, 8],
            get_line_color=[90, 90, 90, 200],
            line_width_min_pixels=1.5,
            pickable=False,
        )
        layers.insert(0, outlines)
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        # Keep pydeck's default map_style placeholder: Streamlit then draws no basemap at all,
        # whereas map_style=None makes it fetch a themed Carto style from the internet.
        tooltip={"text": "{tooltip}"},
    )
    return deck, legend_rows(metric, breaks, lang)


LEGEND_COLUMNS = 3  # three swatches of 120 px a row: the six classes fit a phone in two rows


def legend_chart(rows: list[tuple[tuple[int, int, int], str]]) -> alt.Chart:
    """Colour swatches with their labels, three a row, for a map legend."""
    frame = pd.DataFrame(
        {
            "column": [i % LEGEND_COLUMNS for i in range(len(rows))],
            "row": [i // LEGEND_COLUMNS for i in range(len(rows))],
            "label": [label for _, label in rows],
            "colour": ["#{:02x}{:02x}{:02x}".format(*rgb) for rgb, _ in rows],
        }
    )
    base = alt.Chart(frame).encode(x=alt.X("column:O", axis=None), y=alt.Y("row:O", axis=None))
    swatches = base.mark_square(size=300).encode(color=alt.Color("colour:N", scale=None))
    labels = base.mark_text(dy=22, fontSize=13).encode(text="label:N")
    rows_needed = -(-len(rows) // LEGEND_COLUMNS)
    return (
        (swatches + labels)
        .properties(height=60 * rows_needed, width=120 * min(len(rows), LEGEND_COLUMNS))
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
