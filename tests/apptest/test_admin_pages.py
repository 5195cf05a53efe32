"""Administration pages driven headless: registry edit with GCJ-02 input, settings, production guard."""

import json

import coordTransform
from sqlalchemy import select

from services import settings_store
from services.db import make_engine
from services.models import Compound
from tests.apptest.conftest import login, new_app, no_exceptions


def test_registry_edit_converts_gcj02_and_saves(app_as, fixture_db):
    at = app_as("admin")
    at.switch_page("pages/admin_registry.py").run()
    no_exceptions(at)
    picker = next(s for s in at.selectbox if s.label == "选择小区（或新建）")
    picker.set_value(1).run()
    next(s for s in at.selectbox if s.label == "坐标系").set_value("GCJ02").run()
    next(n for n in at.number_input if n.label == "经度").set_value(103.3753).run()
    next(n for n in at.number_input if n.label == "纬度").set_value(29.9045).run()
    assert any("转换后（WGS-84）" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "检查并保存").click().run()
    no_exceptions(at)
    assert any("已保存" in s.value for s in at.success), [e.value for e in at.error]
    expected_lon, expected_lat = coordTransform.gcj02_to_wgs84(103.3753, 29.9045)
    engine = make_engine(fixture_db)
    with engine.connect() as conn:
        lon, lat = conn.execute(select(Compound.lon, Compound.lat).where(Compound.id == 1)).one()
    assert abs(lon - expected_lon) < 1e-6 and abs(lat - expected_lat) < 1e-6
    assert abs(lon - 103.3753) > 0.001  # really converted (~360 m), not stored as typed


def test_settings_page_changes_the_deadline(app_as, fixture_db):
    at = app_as("admin")
    at.switch_page("pages/admin_settings.py").run()
    next(n for n in at.number_input if n.label.startswith("上报截止日")).set_value(10)
    next(b for b in at.button if b.label == "保存设置").click().run()
    no_exceptions(at)
    assert settings_store.get(make_engine(fixture_db), "report_deadline_day") == 10


def test_production_mode_refuses_to_start_with_demo_accounts(fixture_db, monkeypatch):
    from services import accounts
    from services.access import SYSTEM

    engine = make_engine(fixture_db)
    accounts.create_user(
        engine,
        SYSTEM,
        username="demo-x",
        display_name="x",
        role="county",
        password="long password x",
        is_demo=True,
        must_change=False,
    )
    monkeypatch.setenv("LINLI_MODE", "production")
    at = new_app().run()
    assert any("生产模式下仍存在演示账号" in e.value for e in at.error)
    assert not at.text_input  # no login form offered
    accounts.retire_demo_accounts(engine, SYSTEM)
    at = login(new_app(), "t-county")
    no_exceptions(at)
    assert at.title[0].value == "洪雅县总览"


def test_an_administrator_loads_boundaries_and_the_map_draws_them(app_as, fixture_db):
    from services import boundaries
    from tests.test_boundaries import GOOD

    at = app_as("admin")
    at.switch_page("pages/admin_settings.py").run()
    no_exceptions(at)
    assert any(i.value.startswith("尚未加载边界") for i in at.info)
    uploader = next(u for u in at.get("file_uploader") if u.label.startswith("边界文件"))
    uploader.set_value(("towns.geojson", GOOD, "application/geo+json")).run()
    no_exceptions(at)
    assert any("3 个边界" in t.value for t in at.text), [e.value for e in at.error]
    next(b for b in at.button if b.label == "保存边界").click().run()
    no_exceptions(at)
    assert any("边界已保存" in s.value for s in at.success)
    engine = make_engine(fixture_db)
    assert [f["name"] for f in boundaries.load(engine).features] == ["洪川镇", "止戈镇", "边界 3"]
    engine.dispose()

    official = app_as("county")
    official.switch_page("pages/map.py").run()
    no_exceptions(official)
    decks = [json.loads(d.proto.json) for d in official.get("deck_gl_json_chart")]
    assert decks, "the map page shows no map"
    layers = {layer["id"]: layer for layer in decks[0]["layers"]}
    assert layers["boundaries"]["@@type"] == "GeoJsonLayer" and len(layers["boundaries"]["data"]["features"]) == 3
