"""Notes on views: who may write them, who reads them (exactly the scope, newest first, with author
and time), and @mentions that reach only people who may read the scope."""

from __future__ import annotations

import datetime as dt

import pytest

from services import notes
from services.access import PermissionDenied, clamp
from services.domain import Period, Scope
from services.notes import NoteRefused
from tests.ingest.helpers import MOBILE
from tests.supervision.conftest import NOW, A, B

MARCH = Period("2025-03", "2025-03")
HONGCHUAN, ZHIGE = "511423112", "511423101"


def write(oc, who, scope, body, *, view="cases", period=MARCH, now=NOW):
    return notes.write_note(oc.engine, oc.principal(who), view_id=view, scope=scope, period=period, body=body, now=now)


def read(oc, who, scope=None, *, view="cases", period=MARCH):
    return notes.notes(oc.engine, clamp(oc.principal(who), scope or Scope()), view, period)


def test_each_scope_reads_its_own_notes_newest_first(oc):
    county_note = write(oc, "county", Scope(), "纠纷激增：两小区停车位改造施工")
    town_old = write(oc, "town", Scope(town_code=HONGCHUAN), "洪川镇三月走访偏少", now=NOW)
    town_new = write(oc, "county", Scope(town_code=HONGCHUAN), "县里已约谈", now=NOW + dt.timedelta(hours=2))
    compound = write(oc, "town", Scope(compound_id=oc.ids[A]), "甲小区物业更换")
    assert list(read(oc, "county")["id"]) == [county_note]
    town = read(oc, "town")
    assert list(town["id"]) == [town_new, town_old]  # newest first
    assert list(town["author"]) == ["county", "town"] and town["created_at"].iloc[1] == NOW
    assert list(read(oc, "county", Scope(town_code=HONGCHUAN))["id"]) == [town_new, town_old]
    assert list(read(oc, "town-zg")["id"]) == []
    assert list(read(oc, "sec-a")["id"]) == [compound]
    assert list(read(oc, "sec-b")["id"]) == []
    assert list(read(oc, "town", Scope(compound_id=oc.ids[A]))["id"]) == [compound]
    assert list(read(oc, "county", view="votes")["id"]) == []  # another view
    assert list(read(oc, "county", period=Period("2025-01", "2025-03"))["id"]) == [county_note]  # overlaps
    assert list(read(oc, "county", period=Period("2025-04", "2025-04"))["id"]) == []


@pytest.mark.parametrize(
    ("who", "scope", "error"),
    [
        ("sec-a", Scope(compound_id=1), PermissionDenied),  # secretaries read notes, they do not write them
        ("town", Scope(town_code=ZHIGE), PermissionDenied),
        ("town", Scope(), PermissionDenied),  # a town official cannot speak for the county
    ],
)
def test_who_may_write_where(oc, who, scope, error):
    with pytest.raises(error):
        write(oc, who, scope, "一条批注")


def test_bad_notes_are_refused(oc):
    with pytest.raises(NoteRefused, match="手机号"):
        write(oc, "county", Scope(), f"请联系 {MOBILE}")
    with pytest.raises(NoteRefused, match="没有这个页面"):
        write(oc, "county", Scope(), "一条批注", view="nope")
    with pytest.raises(NoteRefused, match="至少两个字"):
        write(oc, "county", Scope(), " ")


def test_mentions_reach_people_who_may_read_the_scope(oc):
    assert notes.mentioned_names("请 @sec-a 和 @county. 看看，mail a@b.cn 不算，@sec-a 重复") == ["sec-a", "county"]
    with pytest.raises(NoteRefused, match="@sec-a 无权查看"):
        write(oc, "town", Scope(town_code=HONGCHUAN), "请 @sec-a 看一下全镇的情况")
    town_note = write(oc, "town", Scope(town_code=HONGCHUAN), "请 @county 关注，@nobody 不存在")
    compound_note = write(oc, "town", Scope(compound_id=oc.ids[A]), "@sec-a 请说明三月的纠纷")
    assert read(oc, "town")["mentions"].tolist() == [["county"]]
    assert list(notes.unread_mentions(oc.engine, oc.principal("county"))["id"]) == [town_note]
    assert list(notes.unread_mentions(oc.engine, oc.principal("sec-a"))["id"]) == [compound_note]
    assert notes.unread_mentions(oc.engine, oc.principal("sec-b")).empty
    assert notes.mark_read(oc.engine, oc.principal("sec-a"), compound_note) is True
    assert notes.mark_read(oc.engine, oc.principal("sec-a"), compound_note) is False
    assert notes.unread_mentions(oc.engine, oc.principal("sec-a")).empty
    with pytest.raises(NoteRefused, match="@sec-b"):
        write(oc, "town", Scope(compound_id=oc.ids[A]), "@sec-b 看看甲小区")
    assert write(oc, "town", Scope(compound_id=oc.ids[B]), "@sec-b 看看乙小区")
