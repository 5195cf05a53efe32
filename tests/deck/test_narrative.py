"""Every number in the summary text equals the metric functions' value, recomputed here."""

from __future__ import annotations

import re

import pytest

from services import metrics
from services.access import SYSTEM
from services.deck import build_deck
from services.domain import Period
from services.texts import deck as deck_texts
from services.themes import alerts, governance_index
from tests import fixture_county as fx
from tests.scoped import scoped

NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(万|亿)?(%)?")
CASES = [  # scope, period, comparison
    (scoped(), Period("2025-01", "2025-02"), "previous"),
    (scoped(), Period("2025-02", "2025-02"), "previous"),
    (scoped(town_code=fx.HONGCHUAN), Period("2025-02", "2025-02"), "previous"),
    (scoped(compound_id=3), Period("2025-01", "2025-02"), "year"),
]


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def recomputed(engine, scope, period: Period, compare: str):
    """key → value, straight from services.metrics and the theme services (no deck code)."""
    base = period.previous() if compare == "previous" else period.year_before()
    now = metrics.headline(engine, scope, period, deadline_day=5)
    before = metrics.headline(engine, scope, base, deadline_day=5)
    index = governance_index.compound_index(engine, scope, period, deadline_day=5)["index"].dropna()
    end_alerts = alerts.alerts(engine, scope, Period(period.end, period.end))

    def value(key: str):
        name, _, kind = key.partition("@")
        if kind == "change":
            return metrics.change(now[name], before[name])
        if kind == "points":
            return (now[name] - before[name]) * 100
        return {
            "alerts": lambda: len(end_alerts),
            "index_top": index.max,
            "index_bottom": index.min,
            "index": lambda: index.iloc[0],
        }.get(key, lambda: now[key])()

    return value


def parsed(match: re.Match) -> tuple[float, float]:
    """The number a token shows and the rounding it allows."""
    digits, unit, percent = match.groups()
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    scale = {"万": 1e4, "亿": 1e8, None: 1.0}[unit] / (100 if percent else 1)
    return float(digits.replace(",", "")) * scale, 0.5 * 10**-decimals * scale + 1e-9


@pytest.mark.parametrize(("scope", "period", "compare"), CASES)
def test_every_number_in_the_narrative_is_a_metric(county, scope, period, compare):
    deck = build_deck(county, SYSTEM, scope, period, compare)
    story = deck.narrative
    value = recomputed(county, scope, period, compare)
    tokens = list(NUMBER.finditer(story.text))
    # every number in the text is one of the recorded figures, in order, and nothing else
    assert [m.group(0) for m in tokens] == [NUMBER.search(f.text).group(0) for f in story.figures]
    for match, figure in zip(tokens, story.figures, strict=True):
        expected = value(figure.key)
        assert figure.value == pytest.approx(expected), figure.key
        shown, tolerance = parsed(match)
        signed = figure.key.endswith(("@change", "@points"))
        assert abs(shown - (abs(expected) if signed else expected)) <= tolerance, (figure.key, match.group(0), expected)
        if signed:  # the words say which way it went
            after = story.text[: match.start()]
            assert after.endswith(("增长", "提高") if expected > 0 else "下降"), (figure.key, after[-6:])
    assert {"activities", "demands_received", "closure_rate", "reporting_rate"} <= {f.key for f in story.figures}


def test_county_summary_reads_as_worked_out_by_hand(county):
    text = build_deck(county, SYSTEM, scoped(), Period("2025-01", "2025-02"), "previous").narrative.text
    # tests/test_metrics.py works these out from the fixture; November–December 2024 has no data
    assert text.startswith("本期全县共开展活动4次，参与83人次，走访慰问16户，活动次数环比无可比数据。")
    assert "受理居民诉求3件、矛盾纠纷2件，回应率80.0%，办结率60.0%" in text
    assert "办结用时中位数10天；完成设施改造项目2个，投入34.0万元。" in text
    assert "组织业主表决3次，按本地签字规则通过2次、按民法典第二百七十八条通过1次" in text
    assert "应报5个小区·月、已报4个，上报率80.0%，按时率60.0%" in text


def test_changes_against_the_previous_month(county):
    text = build_deck(county, SYSTEM, scoped(), Period("2025-02", "2025-02"), "previous").narrative.text
    # February: 1 activity against January's 3; closure 0 of 1 against 3 of 4 (75%)
    assert text.startswith("本月全县共开展活动1次")
    assert "活动次数环比下降66.7%" in text and "办结率环比下降75.0个百分点" in text


def test_english_summary_uses_the_same_figures(county):
    deck = build_deck(county, SYSTEM, scoped(), Period("2025-01", "2025-02"), "previous", lang="en")
    assert deck.narrative.text.startswith("In this period, the county held 4 activities with 83 participants")
    tokens = [m.group(0) for m in NUMBER.finditer(deck.narrative.text)]
    assert tokens == [NUMBER.search(f.text).group(0) for f in deck.narrative.figures]


@pytest.mark.parametrize("catalogue", [deck_texts.ZH, deck_texts.EN])
def test_narrative_templates_carry_no_numbers_of_their_own(catalogue):
    templates = {k: v for k, v in catalogue.items() if k.startswith("deck.nar.")}
    assert templates and not [k for k, v in templates.items() if re.search(r"\d", v)]
