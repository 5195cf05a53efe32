"""Chart and map specs: offline, plain-text tooltips, sensible classes and formats."""

import itertools
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from services import formatting
from services.charts import common
from services.charts import maps as charts
from services.charts import overview as overview_charts
from services.charts import property as property_charts
from services.charts import reporting as reporting_charts
from services.charts import votes as votes_charts

ROOT = Path(__file__).resolve().parents[1]

COMPOUNDS = pd.DataFrame(
    {
        "compound_id": [1, 2, 3],
        "code": ["a", "b", "c"],
        "town": ["洪川镇"] * 3,
        "name": ["<img src=x onerror=alert(1)>", "乙小区", "丙小区"],
        "lat": [29.90, 29.91, None],
        "lon": [103.37, 103.38, 103.39],
        "households": [200, 1000, 50],
        "closure_rate": [0.5, None, 1.0],
        "activities_per_100_households": [1.0, 2.0, 3.0],
    }
)
TOWNS = pd.DataFrame({"code": ["511423112"], "name": ["洪川镇"], "lat": [29.907], "lon": [103.373]})


def test_map_is_offline_and_its_tooltips_are_text():
    deck, legend = charts.compound_map(COMPOUNDS, TOWNS, "closure_rate")
    spec = json.loads(deck.to_json())
    assert spec["mapStyle"] == "__MAP_STYLE__"  # Streamlit's "no basemap" placeholder
    assert "http" not in deck.to_json()
    assert spec.get("mapProvider") is None
    assert set(deck._tooltip) == {"text"}  # deck.gl renders "text" as text; "html" would render markup
    dots = next(layer for layer in spec["layers"] if layer["id"] == "compounds")
    assert len(dots["data"]) == 2  # the compound without coordinates is left out
    assert dots["data"][0]["tooltip"].startswith("<img src=x onerror=alert(1)>")  # kept literally, shown as text
    labels = next(layer for layer in spec["layers"] if layer["id"] == "towns")
    # CJK glyphs must be in the font atlas, passed as a literal string (not a "@@=" expression)
    assert set("洪川镇") <= set(labels["characterSet"]) and not labels["characterSet"].startswith("@@")
    assert not labels["fontFamily"].startswith("@@")
    assert legend[-1][1] == "无数据"


def test_colour_classes_and_no_data_grey():
    breaks = charts.class_breaks(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
    assert breaks == sorted(breaks) and len(breaks) == 4
    assert charts.colour_for(1, breaks) == charts.SEQUENTIAL[0]
    assert charts.colour_for(10, breaks) == charts.SEQUENTIAL[-1]
    assert charts.colour_for(float("nan"), breaks) == charts.NO_DATA_RGB


def test_number_formats():
    assert formatting.number(1234) == "1,234"
    assert formatting.number(123456) == "12.3万"
    assert formatting.number(234_000_000) == "2.34亿"
    assert formatting.number(123456, "en") == "123,456"
    assert formatting.percent(0.9614) == "96.1%"
    assert formatting.signed_percent(0.125) == "+12.5%"
    assert formatting.signed_percent(None) is None
    assert formatting.yuan(340000) == "34.0万元"
    assert formatting.signed_points(0.45, 0.90) == "-45.0 个百分点"
    assert formatting.signed_points(0.96, 0.90, "en") == "+6.0 pp"


def test_fit_view_contains_every_point():
    lats, lons = [29.57, 30.01, 29.9], [103.01, 103.45, 103.37]
    view = charts.fit_view(lats, lons, width_px=900, height_px=620)
    assert 29.57 < view.latitude < 30.01 and 103.01 < view.longitude < 103.45
    # at this zoom, the whole span fits in the viewport (256 px per world tile at zoom 0)
    px_per_degree_lon = 512 * 2**view.zoom / 360  # deck.gl: the world is 512 px wide at zoom 0
    assert (103.45 - 103.01) * px_per_degree_lon < 900
    assert charts.fit_view([29.9], [103.37], width_px=900, height_px=620).zoom <= 16


def test_markdown_escaping_keeps_hostile_text_literal():
    hostile = "[点我](javascript:alert(1)) <script>x</script> **粗** $x$ #标题"
    escaped = formatting.md_escape(hostile)
    assert "\\[点我\\]\\(javascript\\:alert\\(1\\)\\)" in escaped
    assert "\\<script\\>" in escaped and "\\*\\*粗\\*\\*" in escaped and "\\$x\\$" in escaped
    assert formatting.md_escape("依云观邸") == "依云观邸"
    assert formatting.md_escape("a\nb") == "a b"


def test_dots_are_sized_in_screen_pixels_so_a_town_never_becomes_one_carpet():
    deck, _ = charts.compound_map(COMPOUNDS, pd.DataFrame(columns=["name", "lat", "lon"]), "closure_rate")
    dots = json.loads(deck.to_json())["layers"][0]
    assert dots["radiusUnits"] == "pixels"  # a literal, not a pydeck expression
    radii = [row["radius"] for row in dots["data"]]
    assert min(radii) >= charts.DOT_PIXELS[0] and max(radii) <= charts.DOT_PIXELS[1]
    assert radii[0] < radii[1]  # 200 households draw smaller than 1,000


def test_a_class_of_zeros_reads_as_zero_and_breaks_are_round():
    values = pd.Series([0, 0, 0, 0, 0, 0, 0.123456, 0.5912, 1.2345, 2.71828])
    breaks = charts.class_breaks(values)
    assert all(b == float(f"{b:.2g}") for b in breaks)
    labels = [label for _, label in charts.legend_rows("activities_per_100_households", breaks)]
    assert labels[0] == "0" and "≤ 0" not in labels[0]


def _spec(chart) -> dict:
    return chart.to_dict()


TWELVE_TOWNS = pd.read_csv(ROOT / "data" / "towns.csv")


def test_the_town_heatmap_has_a_readable_row_for_each_of_the_twelve_towns():
    """Streamlit's default autosize ("fit") squeezed axes and legend into the spec's height and left
    the 12 rows ~7 px each, so Vega dropped 9 of the 12 town labels; "fit-x" keeps the height for
    the plot."""
    rates = pd.DataFrame(
        [
            {"town": town, "month": month, "reports_received": 9, "reports_expected": 10, "reporting_rate": 0.9}
            for town in TWELVE_TOWNS["town_name"]
            for month in ("2026-09", "2026-10")
        ]
    )
    spec = _spec(reporting_charts.rate_heatmap(rates))
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["height"] / 12 >= 20  # a row per town, taller than its 13 px label
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False


def test_every_chart_leaves_its_height_to_the_plot():
    frame = pd.DataFrame({"month": ["2026-09", "2026-10"], **{k: [0, 1] for k in overview_charts.TREND_SERIES}})
    assert _spec(overview_charts.trend_chart(frame))["autosize"]["type"] == "fit-x"


def test_count_axes_tick_whole_numbers_only():
    """A compound's month of 0 or 1 visits read "0, 0, 0, 1, 1, 1" on the profile's timeline."""
    frame = pd.DataFrame({"month": ["2026-09", "2026-10"], **{k: [0, 1] for k in overview_charts.TREND_SERIES}})
    axis = _spec(overview_charts.trend_chart(frame))["encoding"]["y"]["axis"]
    assert axis["tickMinStep"] == 1
    outcomes = pd.DataFrame(
        {"local": ["pass", "fail", "total"], "pass": [1, 0, 1], "fail": [0, 1, 1], "unknown": [0, 0, 0]}
    ).assign(total=[1, 1, 2])
    votes_axis = _spec(votes_charts.outcome_bars(outcomes))["encoding"]["x"]["axis"]
    assert votes_axis["tickMinStep"] == 1


def test_small_rates_keep_the_decimals_their_ticks_need():
    """Property cases per 100 households are ~0.01-0.13: a fixed ",.1f" read "0.0, 0.0, 0.1, 0.1"."""
    companies = pd.DataFrame(
        {
            "property_company": ["甲物业", "乙物业"],
            "property_demands_per_100_households": [0.13, 0.09],
            "property_disputes_per_100_households": [0.02, 0.0],
        }
    )
    fmt = _spec(property_charts.company_bars(companies))["encoding"]["x"]["axis"]["format"]
    assert not re.search(r"\.\d", fmt), fmt  # no fixed precision
    assert ".1f" not in fmt


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_legend_wraps_to_fit_a_phone_and_cuts_no_label(lang):
    frame = pd.DataFrame({"month": ["2026-10"], **{k: [1] for k in overview_charts.TREND_SERIES}})
    spec = _spec(overview_charts.trend_chart(frame, lang))
    legend = spec["encoding"]["color"]["legend"]
    labels = spec["encoding"]["color"]["scale"]["domain"]
    widest = max(common.label_px(label) for label in labels) + 30
    assert legend["labelLimit"] == 0  # never "受理诉求…"
    assert 1 <= legend["columns"] < len(labels) or widest * len(labels) <= common.PHONE_LEGEND_PX
    assert legend["columns"] * widest <= common.PHONE_LEGEND_PX


def _label_boxes(spec: dict) -> dict[str, tuple[float, float, float, float]]:
    """Screen rectangles (left, top, right, bottom) of the town labels at the map's first zoom,
    worked out from the deck's own spec (size, pixel offset, background padding)."""
    layer = next(layer for layer in spec["layers"] if layer["id"] == "towns")
    zoom = spec["initialViewState"]["zoom"]
    size = layer.get("getSize", 12)
    pad_x, pad_y = (layer.get("backgroundPadding") or [0, 0])[:2]
    boxes = {}
    for row in layer["data"]:
        world = 512 * 2**zoom
        x = (row["lon"] + 180) / 360 * world
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(row["lat"]) / 2)) / math.pi) / 2 * world
        offset = row["offset"] if layer["getPixelOffset"] == "@@=offset" else layer["getPixelOffset"]
        half_w, half_h = size * len(row["name"]) / 2 + pad_x, size * 0.6 + pad_y
        cx, cy = x + offset[0], y + offset[1]
        boxes[row["name"]] = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    return boxes


def test_the_twelve_town_names_of_hongya_do_not_overlap_at_county_zoom():
    """Compounds spread over the whole county (lat 29.40-30.01, lon 102.82-103.53) open the map at
    about zoom 9, where 止戈镇 and 将军镇 (6 km apart) collided; around each town centre a ring of
    compounds, as in the demo county."""
    towns = TWELVE_TOWNS.rename(columns={"town_name": "name", "lat_wgs84_approx": "lat", "lon_wgs84_approx": "lon"})
    rows = [
        {"lat": t.lat + 0.01 * math.sin(a), "lon": t.lon + 0.01 * math.cos(a), "town": t.name}
        for t in towns.itertuples()
        for a in (0, 1.6, 3.2, 4.8)
    ]
    rows += [{"lat": 29.40, "lon": 102.82, "town": "瓦屋山镇"}, {"lat": 30.01, "lon": 103.53, "town": "中山镇"}]
    compounds = pd.DataFrame(rows).assign(
        compound_id=range(len(rows)), code="c", name="小区", households=300, closure_rate=0.5
    )
    deck, _ = charts.compound_map(compounds, towns[["name", "lat", "lon"]], "closure_rate")
    spec = json.loads(deck.to_json())
    assert spec["initialViewState"]["zoom"] < 9.3
    boxes = _label_boxes(spec)
    assert len(boxes) == 12
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        apart = box_a[2] <= box_b[0] or box_b[2] <= box_a[0] or box_a[3] <= box_b[1] or box_b[3] <= box_a[1]
        assert apart, f"{a} and {b} overlap"
    labels = next(layer for layer in spec["layers"] if layer["id"] == "towns")
    assert labels["background"] is True  # readable where a label still lies over dots


def test_map_legend_wraps_into_rows_a_phone_can_show():
    rows = charts.legend_rows("activities_per_100_households", [0.4, 0.63, 0.89, 1.5])
    assert len(rows) == 6  # five classes and no data
    spec = charts.legend_chart(rows).to_dict()
    assert spec["width"] <= 360  # 120 px a swatch: at most three a row
