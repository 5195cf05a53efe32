"""Texts the view toolkit shares (``ui.layout``, ``ui.drill``): the view title, the drill-down headings
and hints, the chart window and why a scope shows nothing (keys cov.title, cov.areas_*, cov.drill_* …)."""

ZH = {
    "cov.title": "{page} · {scope}",
    "cov.period": "统计期：{period}；环比对比：{previous}；同比对比：{year_ago}",
    "cov.no_compounds_town": "{town}没有在册的小区，暂无可统计的数据。",
    "cov.no_compounds_compound": "该小区不在册或已停用，暂无可统计的数据。",
    "cov.drill_town": "点击一行，查看该镇各小区。",
    "cov.drill_compound": "点击一行，打开该小区档案。",
    "cov.chart_window": "图表显示截至 {end} 的近 12 个月（统计期更长时显示整个统计期）。",
    "cov.areas_town": "各镇比较",
    "cov.areas_compound": "{town} · 各小区",
    "cov.areas_this_compound": "本小区",
}

EN = {
    "cov.title": "{page} · {scope}",
    "cov.period": "Period: {period}; compared with {previous} (previous period) and {year_ago} (a year before)",
    "cov.no_compounds_town": "{town} has no compounds in the registry, so there is nothing to count.",
    "cov.no_compounds_compound": "This compound is not in the registry or is inactive, so there is nothing to count.",
    "cov.drill_town": "Click a row to see that town's compounds.",
    "cov.drill_compound": "Click a row to open the compound's profile.",
    "cov.chart_window": "Charts show the 12 months to {end} (or the whole period when it is longer).",
    "cov.areas_town": "Towns compared",
    "cov.areas_compound": "{town} · compounds",
    "cov.areas_this_compound": "This compound",
}
