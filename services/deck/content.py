"""The meeting deck for one scope and period, as plain data (``services.deck.model``).

Every figure is read from the published metric functions (``services.metrics`` and the theme
services) and only formatted here; nothing on a slide is computed a second way. The slides are,
in order: title, summary, headline figures, coverage, activities and visits, demands and disputes,
facilities, votes, reporting completeness, governance index, alerts, supervision orders (督办落实,
only when orders were issued in the period) and the appendix table. Notes (批注) written on a view
ride on the slide that mirrors it (``services.deck.view_notes``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from services import formatting, metrics, month_reports, reporting
from services.access import ClampedScope
from services.deck import charts, layout, narrative, periods, view_notes
from services.deck import orders as deck_orders
from services.deck.model import Deck, Figure, Slide, Table
from services.domain import DEFAULT_DEADLINE_DAY, Period, Scope, add_months
from services.i18n import t
from services.ingest.problems import china_time
from services.models import Submission
from services.supervision.orders import beijing_date
from services.themes import alerts as alerts_theme
from services.themes import cases as cases_theme
from services.themes import coverage as coverage_theme
from services.themes import facilities as facilities_theme
from services.themes import governance_index
from services.themes import votes as votes_theme

BODIES = ("branch", "property_company", "owners_committee", "womens_federation", "volunteer_team", "liaison_unit")
TABLE_ROWS = 12  # appendix rows per slide
LIST_ROWS = 10  # index rows (top and bottom)
ALERT_ROWS = 8
CHART_BARS = 12


def data_as_of(engine: Engine, scope: Scope, period: Period) -> dt.datetime | None:
    """When the latest report in scope for a month up to the period's end arrived (stored UTC)."""
    stmt = metrics._scoped(
        select(func.max(Submission.submitted_at)).where(Submission.month <= period.end), scope, Submission.compound_id
    )
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()


def period_locked(engine: Engine, period: Period) -> bool:
    """Whether every month of the period is locked and no compound-month in it is reopened by a
    correction (only then do its figures no longer change)."""
    with engine.connect() as conn:
        if month_reports.locked_months(conn, period) != set(period.months):
            return False
        return not month_reports.reopened_in(conn, period)


def scope_label(engine: Engine, scope: Scope, lang: str) -> str:
    if scope.compound_id is not None:
        return str(metrics.compound_record(engine, scope.compound_id).get("name") or scope.compound_id)
    if scope.town_code:
        towns = metrics.towns(engine)
        names = dict(zip(towns["code"], towns["name"], strict=True)) if not towns.empty else {}
        return names.get(scope.town_code, scope.town_code)
    return t("app.county", lang)


class _Slides:
    """Formatting helpers bound to a language and to the two headline dicts."""

    def __init__(self, lang: str, now: dict, before: dict) -> None:
        self.lang, self.now, self.before = lang, now, before

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def number(self, value, decimals: int = 0) -> str:
        return formatting.number(value, self.lang, decimals=decimals)

    def figure(
        self,
        key: str,
        kind: str = "count",
        *,
        note: str | None = None,
        label: str | None = None,
        source: dict | None = None,
    ) -> Figure:
        """A figure from ``source`` (default: the headline) with its change against the comparison
        period when it comes from the headline; rates change in percentage points."""
        value = (self.now if source is None else source).get(key)
        previous = self.before.get(key) if source is None else None
        if kind == "rate":
            text, delta = formatting.percent(value), formatting.signed_points(value, previous, self.lang)
        else:
            text = formatting.yuan(value, self.lang) if kind == "yuan" else _count(value, self.lang)
            delta = formatting.signed_percent(metrics.change(value, previous))
        if source is None:  # compared: say so when there is nothing to compare with
            delta = delta or formatting.NONE
        return Figure(key, label or self.t(f"deck.fig.{key}"), text, delta, note)

    def rows_note(self, total: int, shown: int) -> str | None:
        return self.t("deck.rows_more", total=total, shown=shown) if total > shown else None


def _count(value, lang: str) -> str:
    """A count, or a measure such as hours or days, with one decimal only when it has a fraction."""
    if value is None or pd.isna(value):
        return formatting.NONE
    return formatting.number(value, lang, decimals=0 if float(value) == int(value) else 1)


def _int(value) -> str:
    return formatting.NONE if value is None or pd.isna(value) else f"{int(value):,}"


def _score(value) -> str:
    return formatting.NONE if value is None or pd.isna(value) else f"{float(value):.1f}"


def _signed(value) -> str:
    return formatting.NONE if value is None or pd.isna(value) else f"{float(value):+.1f}"


def _title(
    engine: Engine, scope: ClampedScope, period: Period, h_now: dict, *, name: str, compare: str, lang: str, moment
) -> Slide:
    """The title slide: the period, what it is compared with, how complete its data are, and when."""

    def tr(key: str, **values) -> str:
        return t(key, lang, **values)

    base = periods.comparison(period, compare)
    arrived = data_as_of(engine, scope, period)
    as_of = china_time(arrived) if arrived else None
    completeness = tr(
        "deck.completeness",
        when=as_of or formatting.NONE,
        expected=_int(h_now["reports_expected"]),
        received=_int(h_now["reports_received"]),
        rate=formatting.percent(h_now["reporting_rate"]),
        approved=_int(h_now["reports_approved"]),
        approved_rate=formatting.percent(h_now["approved_rate"]),
    )
    facts = (
        periods.label(period, lang),
        tr("deck.range", start=period.start, end=period.end),
        tr(f"deck.compare.{compare}", start=base.start, end=base.end),
        tr("deck.as_of", when=as_of) if as_of else tr("deck.as_of_none"),
        *([tr("deck.locked")] if period_locked(engine, period) else []),
        completeness,
        tr("deck.generated", when=china_time(moment)),
    )
    return Slide("title", tr("deck.title", scope=name), lines=facts)


def title(
    engine: Engine,
    scope: ClampedScope,
    period: Period,
    *,
    compare: str = "previous",
    lang: str = "zh",
    deadline_day: int = DEFAULT_DEADLINE_DAY,
    now: dt.datetime | None = None,
) -> tuple[str, Slide]:
    """The scope's name and the deck's title slide alone, at the cost of one headline: what
    汇报模式 shows at once, before the rest of the deck is asked for."""
    name = scope_label(engine, scope, lang)
    h_now = metrics.headline(engine, scope, period, deadline_day=deadline_day)
    moment = now or dt.datetime.now(dt.UTC)
    return name, _title(engine, scope, period, h_now, name=name, compare=compare, lang=lang, moment=moment)


def build(
    engine: Engine,
    scope: ClampedScope,
    period: Period,
    *,
    compare: str = "previous",
    lang: str = "zh",
    deadline_day: int = DEFAULT_DEADLINE_DAY,
    now: dt.datetime | None = None,
) -> Deck:
    """The deck for ``scope`` (already clamped to what the reader may see) and ``period``."""
    base = periods.comparison(period, compare)
    kind = periods.kind_of(period)
    name = scope_label(engine, scope, lang)
    h_now = metrics.headline(engine, scope, period, deadline_day=deadline_day)
    h_before = metrics.headline(engine, scope, base, deadline_day=deadline_day)
    s = _Slides(lang, h_now, h_before)
    label = periods.label(period, lang)
    moment = now or dt.datetime.now(dt.UTC)
    today = beijing_date(moment)  # supervision orders are judged on the day the deck is built

    index = governance_index.compound_index(engine, scope, period, deadline_day=deadline_day, today=today)
    order_figures, orders_by = deck_orders.read(engine, scope, period, today=today)
    end_alerts = alerts_theme.alerts(engine, scope, Period(period.end, period.end))
    scope_word = name if scope.level != "county" else s.t("deck.nar.county")
    story = narrative.compose(
        now=h_now,
        before=h_before,
        alerts=len(end_alerts),
        index=list(index["index"]) if not index.empty else [],
        period_kind=kind,
        compare=compare,
        scope_word=scope_word,
        lang=lang,
        orders=order_figures if order_figures["issued"] else None,
    )

    title_slide = _title(engine, scope, period, h_now, name=name, compare=compare, lang=lang, moment=moment)
    title = title_slide.title
    year_to_end = Period(min(period.start, add_months(period.end, -11)), period.end)
    works = facilities_theme.summary(engine, scope, period), facilities_theme.by_category(engine, scope, period)
    slides = [
        title_slide,
        Slide("summary", s.t("deck.slide.summary"), lines=story.sentences),
        _headline(s, compare),
        _coverage(s, coverage_theme.shares(engine, scope, period)),
        _activities(s, metrics.monthly_trend(engine, scope, year_to_end)),
        _cases(s, cases_theme.loop(engine, scope, period)),
        _facilities(s, *works),
        _votes(s, votes_theme.outcomes(engine, scope, period)),
    ]
    if scope.level == "county":
        table = metrics.by_town(engine, scope, period, deadline_day=deadline_day)
        towns = governance_index.town_index(index)  # the county's compounds, computed above
        if not table.empty and not towns.empty:
            table = table.merge(towns[["town_code", "index"]], on="town_code", how="left")
    else:
        table = metrics.by_compound(engine, scope, period, deadline_day=deadline_day)
        if not table.empty and not index.empty:
            table = table.merge(index[["compound_id", "index"]], on="compound_id", how="left")
    calendar = (
        reporting.calendar(engine, scope, period, deadline_day=deadline_day) if scope.level == "compound" else None
    )
    slides.append(_reporting(s, table, scope.level, calendar))
    slides.append(_index(s, index, scope.level))
    slides.append(_alerts(s, end_alerts, period.end))
    orders_slide = deck_orders.slide(order_figures, orders_by, level=scope.level, lang=lang, today=today)
    if orders_slide is not None:
        slides.append(orders_slide)
    slides.extend(_appendix(s, table, scope.level))
    slides = view_notes.attach(engine, scope, period, slides)

    stem = periods.safe_name(f"{name}_{periods.code(period)}_{s.t('deck.file_suffix')}")
    return Deck(
        title=title,
        scope_label=name,
        period=period,
        period_kind=kind,
        period_label=label,
        compare=compare,
        comparison=base,
        as_of=china_time(arrived) if (arrived := data_as_of(engine, scope, period)) else None,
        generated_at=china_time(moment),
        lang=lang,
        file_stem=stem,
        narrative=story,
        slides=tuple(slides),
    )


def _headline(s: _Slides, compare: str) -> Slide:
    keys = (
        ("activities", "count"),
        ("households_visited", "count"),
        ("cases_received", "count"),
        ("closure_rate", "rate"),
        ("facility_projects_completed", "count"),
        ("facility_investment_yuan", "yuan"),
        ("votes_held", "count"),
        ("reporting_rate", "rate"),
    )
    note = s.t("deck.change_note", compare=s.t(f"deck.compare_word.{compare}"))
    return Slide(
        "headline", s.t("deck.slide.headline"), figures=tuple(s.figure(k, kind) for k, kind in keys), note=note
    )


def _chart_box(figures: int, *, note: bool = False, share: float | None = None) -> layout.Box:
    box = layout.body_below(figures, note=note)
    return layout.split(box, share)[0] if share else box


def _coverage(s: _Slides, shares: dict) -> Slide:
    def share(key: str) -> str:
        return s.t("deck.note.share", share=formatting.percent(shares.get(f"share_with_{key}")))

    figures = (
        s.figure("compounds"),
        s.figure("households"),
        s.figure("with_branch", note=share("branch")),
        s.figure("with_property_company", note=share("property_company")),
    )
    rows = [(s.t(f"deck.body.{b}"), float(shares.get(f"share_with_{b}") or 0)) for b in BODIES]
    box = _chart_box(len(figures))
    chart = (
        charts.bars(
            rows,
            label_texts=[formatting.percent(shares.get(f"share_with_{b}")) for b in BODIES],
            value_title=s.t("deck.axis.share"),
            percent=True,
            width=box.w,
            height=box.h,
        )
        if shares.get("compounds")
        else None
    )
    return Slide("coverage", s.t("deck.slide.coverage"), figures=figures, chart=chart)


def _activities(s: _Slides, trend: pd.DataFrame) -> Slide:
    figures = tuple(s.figure(k) for k in ("activities", "participants", "volunteer_hours", "households_visited"))
    box = _chart_box(len(figures))
    titles = {k: s.t(f"deck.axis.{k}") for k in ("month", "activities", "households_visited")}
    chart = charts.bars_and_line(
        trend, x="month", bar="activities", line="households_visited", titles=titles, width=box.w, height=box.h
    )
    return Slide("activities", s.t("deck.slide.activities"), figures=figures, chart=chart)


def _cases(s: _Slides, loop: dict) -> Slide:
    note = s.t(
        "deck.note.cases", demands=s.number(loop["demands_received"]), disputes=s.number(loop["disputes_received"])
    )
    figures = (
        s.figure("cases_received", note=note),
        s.figure("response_rate", "rate"),
        s.figure("closure_rate", "rate"),
        s.figure("median_days_to_close", "days"),
    )
    stages = (
        ("received", "cases_received"),
        ("responded", "cases_responded"),
        ("resolved", "cases_resolved"),
        ("transferred", "cases_transferred"),
        ("open_at_end", "cases_open_at_end"),
    )
    rows = [(s.t(f"deck.stage.{stage}"), float(loop[key])) for stage, key in stages]
    box = _chart_box(len(figures))
    chart = charts.bars(
        rows, label_texts=[s.number(v) for _, v in rows], value_title=s.t("deck.axis.cases"), width=box.w, height=box.h
    )
    return Slide("cases", s.t("deck.slide.cases"), figures=figures, chart=chart)


def _facilities(s: _Slides, summary: dict, categories: pd.DataFrame) -> Slide:
    figures = (
        s.figure("facility_projects_completed"),
        s.figure("facility_investment_yuan", "yuan"),
        s.figure("projects_in_progress", source=summary),
        s.figure("projects_overdue", source=summary),
    )
    if categories.empty:
        return Slide("facilities", s.t("deck.slide.facilities"), figures=figures, note=s.t("deck.none"))
    biggest = categories.sort_values("investment_yuan", ascending=False, kind="stable").head(8)
    left = layout.split(layout.body_below(len(figures), note=len(categories) > 8), layout.CHART_SHARE)[0]
    chart = charts.bars(
        [(c, v / 10_000) for c, v in zip(biggest["category"], biggest["investment_yuan"], strict=True)],
        label_texts=[formatting.yuan(v, s.lang) for v in biggest["investment_yuan"]],
        value_title=s.t("deck.axis.investment"),
        colour=charts.OKABE_ITO[2],
        width=left.w,
        height=left.h,
    )
    rows = tuple(
        (
            r.category,
            _int(r.projects),
            facilities_theme.quantity_text(r.quantity, r.unit, s.lang),
            formatting.yuan(r.investment_yuan, s.lang),
        )
        for r in biggest.itertuples()
    )
    table = Table(
        tuple(s.t(f"deck.col.{c}") for c in ("category", "projects", "quantity", "investment")),
        rows,
        (False, True, True, True),
    )
    return Slide(
        "facilities",
        s.t("deck.slide.facilities"),
        figures=figures,
        chart=chart,
        table=table,
        note=s.rows_note(len(categories), len(biggest)),
    )


def _votes(s: _Slides, outcomes: pd.DataFrame) -> Slide:
    figures = (
        s.figure("votes_held"),
        s.figure("votes_passed_local"),
        s.figure("votes_passed_statutory"),
        s.figure("mean_vote_participation", "rate"),
    )
    names = {"pass": s.t("deck.col.pass"), "fail": s.t("deck.col.fail"), "total": s.t("deck.col.total")}
    columns = ("pass", "fail", "unknown", "total")
    rows = tuple((names[r["local"]], *(_int(r[c]) for c in columns)) for r in outcomes.to_dict("records"))
    table = Table(
        (s.t("deck.col.local_rule"), *(s.t(f"deck.col.{c}") for c in columns)), rows, (False, True, True, True, True)
    )
    return Slide("votes", s.t("deck.slide.votes"), figures=figures, table=table, note=s.t("deck.votes.note"))


def _reporting(s: _Slides, table: pd.DataFrame, level: str, calendar: pd.DataFrame | None) -> Slide:
    on_time = s.t("deck.note.on_time", n=s.number(s.now["reports_on_time"]))
    figures = (
        s.figure("reports_expected"),
        s.figure("reports_received", note=on_time),
        s.figure("reporting_rate", "rate"),
        s.figure("on_time_rate", "rate"),
    )
    if level == "compound" and calendar is not None:
        rows = tuple((m, s.t(f"deck.status.{st}")) for m, st in zip(calendar["month"], calendar["status"], strict=True))
        shown = rows[:TABLE_ROWS]
        out = Table((s.t("deck.col.month"), s.t("deck.col.status")), shown)
        return Slide(
            "reporting",
            s.t("deck.slide.reporting"),
            figures=figures,
            table=out,
            note=s.rows_note(len(rows), len(shown)),
        )
    if table.empty:
        return Slide("reporting", s.t("deck.slide.reporting"), figures=figures)
    column = "town" if level == "county" else "name"
    ranked = table.dropna(subset=["reporting_rate"]).sort_values(["reporting_rate", column], kind="stable")
    lowest = ranked if len(ranked) <= CHART_BARS else ranked.head(CHART_BARS - 2)  # a note takes their room
    box = _chart_box(len(figures), note=len(ranked) > len(lowest))
    rates = [(n, float(v)) for n, v in zip(lowest[column], lowest["reporting_rate"], strict=True)]
    chart = charts.bars(
        rates,
        label_texts=[formatting.percent(v) for _, v in rates],
        percent=True,
        value_title=s.t("deck.axis.reporting_rate"),
        width=box.w,
        height=box.h,
    )
    return Slide(
        "reporting",
        s.t("deck.slide.reporting"),
        figures=figures,
        chart=chart,
        note=s.rows_note(len(ranked), len(lowest)),
    )


def _index(s: _Slides, index: pd.DataFrame, level: str) -> Slide:
    if index.empty:
        return Slide("index", s.t("deck.slide.index"), note=s.t("deck.none"))
    if level == "compound":
        row = index.iloc[0]
        figures = (Figure("index", s.t("deck.col.index"), _score(row["index"]), _signed(row["change"])),)
        rows = tuple((s.t(f"deck.component.{c}"), _score(row[c])) for c in governance_index.COMPONENTS)
        table = Table((s.t("deck.col.component"), s.t("deck.col.score")), rows, (False, True))
        return Slide("index", s.t("deck.slide.index_one"), figures=figures, table=table)
    half = LIST_ROWS // 2
    picked = index if len(index) <= LIST_ROWS else pd.concat([index.head(half), index.tail(half)])
    county = level == "county"  # one town: no town column
    rows = tuple(
        (str(r.rank), *((r.town,) if county else ()), r.name, _score(r.index), _signed(r.change))
        for r in picked.itertuples()
    )
    names = ("rank", "town", "compound", "index", "change") if county else ("rank", "compound", "index", "change")
    numeric = tuple(c in ("rank", "index", "change") for c in names)
    table = Table(tuple(s.t(f"deck.col.{c}") for c in names), rows, numeric)
    note = s.t("deck.index.note", total=len(index), half=half) if len(index) > LIST_ROWS else None
    return Slide("index", s.t("deck.slide.index"), table=table, note=note)


def _alerts(s: _Slides, frame: pd.DataFrame, month: str) -> Slide:
    counts = alerts_theme.alert_counts(frame)
    figures = tuple(Figure(k, s.t(f"deck.alert.{k}"), s.number(v)) for k, v in counts.items())
    if frame.empty:
        return Slide(
            "alerts",
            s.t("deck.slide.alerts"),
            figures=figures,
            lines=(s.t("deck.alerts.none"),),
            note=s.t("deck.alerts.as_of", month=month),
        )
    shown = frame.head(ALERT_ROWS)
    rows = tuple(
        (r.town, r.name, s.t(f"deck.alert.{r.kind}"), _count(r.value, s.lang), _count(r.threshold, s.lang))
        for r in shown.itertuples()
    )
    columns = tuple(s.t(f"deck.col.{c}") for c in ("town", "compound", "kind", "value", "threshold"))
    note = " ".join(filter(None, [s.t("deck.alerts.as_of", month=month), s.rows_note(len(frame), len(shown))]))
    return Slide(
        "alerts",
        s.t("deck.slide.alerts"),
        figures=figures,
        table=Table(columns, rows, (False, False, False, True, True)),
        note=note,
    )


def _appendix(s: _Slides, table: pd.DataFrame, level: str) -> list[Slide]:
    key = "appendix_towns" if level == "county" else "appendix_compounds"
    if table.empty:
        return [Slide("appendix", s.t(f"deck.slide.{key}"), note=s.t("deck.none"))]
    first = ("town", "compounds") if level == "county" else ("compound",)
    columns = tuple(
        s.t(f"deck.col.{c}")
        for c in (*first, "households", "activities", "per_100", "cases", "closure_rate", "reporting_rate", "index")
    )
    numeric = (False, *([True] * (len(columns) - 1)))
    rows = []
    for r in table.itertuples():
        lead = (r.town, _int(r.compounds)) if level == "county" else (r.name,)
        rows.append(
            (
                *lead,
                _int(r.households),
                _int(r.activities),
                f"{r.activities_per_100_households:.2f}",
                _int(r.cases_received),
                formatting.percent(r.closure_rate),
                formatting.percent(r.reporting_rate),
                _score(getattr(r, "index", None)),
            )
        )
    slides = []
    for start in range(0, len(rows), TABLE_ROWS):
        title = s.t(f"deck.slide.{key}") + (s.t("deck.continued") if start else "")
        slides.append(Slide("appendix", title, table=Table(columns, tuple(rows[start : start + TABLE_ROWS]), numeric)))
    return slides
