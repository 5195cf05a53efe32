"""What the pages hand to Streamlit's widgets and charts where the defaults were wrong: the town
heatmap's height, and Chinese (or English) placeholders instead of "Choose an option"."""

import json

from tests.apptest.conftest import login, new_app, no_exceptions


def _app(path: str, user: str = "t-county", **params):
    app = new_app()
    app.query_params.update({"from": "2025-01", "to": "2025-03", **params})
    login(app, user)
    return app.switch_page(path).run()


def test_the_reporting_heatmap_gives_every_town_a_row_of_its_own(fixture_db):
    app = _app("pages/reporting.py")
    no_exceptions(app)
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    heatmap = next(s for s in specs if s.get("encoding", {}).get("y", {}).get("field") == "town")
    assert heatmap["autosize"]["type"] == "fit-x"  # Streamlit's default "fit" shrank the rows to ~7 px
    assert heatmap["encoding"]["y"]["axis"]["labelOverlap"] is False
    rates = next(df.value for df in app.dataframe if {"镇", "月份", "上报率"} <= set(df.value.columns))
    towns = rates["镇"].nunique()
    assert towns >= 2 and heatmap["height"] >= 20 * towns  # a row per town, taller than its 13 px label


def test_selectboxes_say_choose_in_chinese(fixture_db):
    app = login(new_app(), "t-county")
    no_exceptions(app)
    sidebar = {box.label: box.proto.placeholder for box in app.sidebar.selectbox}
    assert set(sidebar) == {"起始月份", "截止月份", "镇", "语言 / Language"}
    assert set(sidebar.values()) == {"请选择，或输入文字筛选"}  # not Streamlit's "Choose an option"

    app = _app("pages/map.py")
    no_exceptions(app)
    assert app.selectbox(key="map_metric").proto.placeholder == "请选择，或输入文字筛选"
