"""Vega-Lite specs for the slides: big type, value labels on the bars, fixed size in points.

Pure (plain data in, a spec dict out). The page shows them as they are; the exports render
them to PNG with ``services.deck.images``. Colours are the dashboard's Okabe–Ito palette."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.common import FONT, OKABE_ITO
from services.deck.layout import text_width

LABEL_SIZE = 16
BAR_PITCH = 46  # points per bar, at most


def _finish(chart, width: float, height: float) -> dict:
    spec = (
        chart.properties(
            width=int(width), height=int(height), autosize=alt.AutoSizeParams(type="fit", contains="padding")
        )
        .configure(font=FONT, background="white")
        .configure_axis(labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE, labelLimit=260, titleFontWeight="normal")
        .configure_legend(labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE, orient="top")
        .configure_view(stroke=None)
    )
    return spec.to_dict()


def bars(
    rows: list[tuple[str, float]],
    *,
    label_texts: list[str],
    value_title: str,
    width: float,
    height: float,
    percent: bool = False,
    colour: str = OKABE_ITO[0],
) -> dict:
    """Horizontal bars in the given order, each labelled with its formatted value."""
    frame = pd.DataFrame({"name": [n for n, _ in rows], "value": [v for _, v in rows], "label": label_texts})
    order = list(frame["name"])
    peak = float(frame["value"].max()) if not frame.empty else 0.0
    top = 1.0 if percent else max(peak, 1)
    # the scale runs past the largest value, leaving room for the widest label right of the bars
    names = max((text_width(str(n), LABEL_SIZE) for n in order), default=0.0)
    labels = max((text_width(str(v), LABEL_SIZE) for v in label_texts), default=0.0) + 12
    plot = max(width - names - 40, 120)
    reach = max(1 - labels / plot, 0.5)
    axis = (
        alt.Axis(format="%", values=[i / 5 for i in range(6)])
        if percent
        else alt.Axis(format=",d", tickMinStep=1, tickCount=5)
    )
    x = alt.X("value:Q", title=value_title, scale=alt.Scale(domain=[0, top / reach], nice=False), axis=axis)
    y = alt.Y("name:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(frame).encode(y=y, x=x)
    height = min(height, BAR_PITCH * len(order) + 80)  # a few bars stay bars, not slabs
    chart = base.mark_bar(color=colour, height={"band": 0.7}) + base.mark_text(
        align="left", dx=6, fontSize=LABEL_SIZE, color="#222222"
    ).encode(text="label:N")
    return _finish(chart, width, height)


def bars_and_line(
    frame: pd.DataFrame, *, x: str, bar: str, line: str, titles: dict[str, str], width: float, height: float
) -> dict:
    """Monthly bars (``bar``) with a line (``line``) on its own right-hand axis, axes coloured as the marks."""
    base = alt.Chart(frame).encode(x=alt.X(f"{x}:O", title=titles[x], axis=alt.Axis(labelAngle=-45)))
    bar_axis = alt.Axis(titleColor=OKABE_ITO[0], format=",d", tickMinStep=1)
    line_axis = alt.Axis(titleColor=OKABE_ITO[5], orient="right", format=",d", tickMinStep=1)
    bars_layer = base.mark_bar(color=OKABE_ITO[0], opacity=0.85).encode(
        y=alt.Y(f"{bar}:Q", title=titles[bar], axis=bar_axis, scale=alt.Scale(domainMin=0))
    )
    line_layer = base.mark_line(
        color=OKABE_ITO[5], strokeWidth=3, point=alt.OverlayMarkDef(size=70, color=OKABE_ITO[5])
    ).encode(y=alt.Y(f"{line}:Q", title=titles[line], axis=line_axis, scale=alt.Scale(domainMin=0)))
    chart = alt.layer(bars_layer, line_layer).resolve_scale(y="independent")
    return _finish(chart, width, height)
