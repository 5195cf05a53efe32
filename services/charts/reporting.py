"""The reporting view's charts: the compound × month calendar of on-time, late and missing
reports, and the reporting rate per town and month."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.charts.grid import rate_grid, status_grid

STATUS_COLOURS = {
    "on_time": "#0072B2",
    "late": "#E69F00",
    "in_progress": "#56B4E9",
    "missing": "#D55E00",
    "not_expected": "#E5E5E5",
}


def rate_heatmap(rates: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Town × month cells shaded by reporting rate (blue = complete), with the figure on hover."""
    tips = [
        ("town:N", "col.town"),
        ("month:O", "col.month"),
        ("reports_received:Q", "col.reports_received"),
        ("reports_expected:Q", "col.reports_expected"),
        ("reporting_rate:Q", "col.reporting_rate", ".1%"),
    ]
    return rate_grid(rates, lang, rate="reporting_rate", rate_title="col.reporting_rate", tips=tips, row_px=26)


def reporting_calendar(cal: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Compound × month cells coloured by status: on time, late, in progress, missing, not expected."""
    tips = [
        ("label:N", "col.compound"),
        ("town:N", "col.town"),
        ("month:O", "col.month"),
        ("status_label:N", "col.status"),
    ]
    return status_grid(cal, lang, colours=STATUS_COLOURS, status_text="reporting.status", tips=tips, row_px=14)
