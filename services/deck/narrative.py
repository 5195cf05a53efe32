"""The Chinese (or English) summary of a deck, written from templates.

Every number is formatted from the metric values handed in (the same dicts the slides show) and
recorded as a ``NarrativeFigure``, so a test can recompute each one from ``services.metrics``."""

from __future__ import annotations

import math

from services import formatting
from services.deck.model import Narrative, NarrativeFigure
from services.i18n import t
from services.metrics import change


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class _Writer:
    """Formats figures and remembers each one it printed, in order."""

    def __init__(self, lang: str, compare: str) -> None:
        self.lang = lang
        self.compare = compare
        self.figures: list[NarrativeFigure] = []

    def _keep(self, key: str, value, text: str) -> str:
        self.figures.append(NarrativeFigure(key, None if _missing(value) else float(value), text))
        return text

    def count(self, key: str, value) -> str:
        decimals = 0 if _missing(value) or float(value) == int(value) else 1
        return self._keep(key, value, formatting.number(value, self.lang, decimals=decimals))

    def rate(self, key: str, value) -> str:
        return self._keep(key, value, formatting.percent(value))

    def yuan(self, key: str, value) -> str:
        return self._keep(key, value, formatting.yuan(value, self.lang))

    def change(self, key: str, now: dict, before: dict) -> str:
        """'增长12.5%' / '下降3.0%' / '持平' / '无可比数据' for a count against the comparison period."""
        relative = change(now.get(key), before.get(key))
        if relative is None:
            return self.t("deck.nar.no_base")
        if relative == 0:
            return self.t("deck.nar.flat")
        text = self._keep(f"{key}@change", relative, formatting.percent(abs(relative)))
        return self.t("deck.nar.up" if relative > 0 else "deck.nar.down", value=text)

    def points(self, key: str, now: dict, before: dict) -> str:
        """A rate's change in percentage points: '提高2.0个百分点' / '下降…' / '持平' / '无可比数据'."""
        current, previous = now.get(key), before.get(key)
        if current is None or previous is None or _missing(current) or _missing(previous):
            return self.t("deck.nar.no_base")
        diff = (float(current) - float(previous)) * 100
        if diff == 0:
            return self.t("deck.nar.flat")
        text = self._keep(f"{key}@points", diff, f"{abs(diff):.1f}")
        return self.t("deck.nar.points_up" if diff > 0 else "deck.nar.points_down", value=text)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)


def compose(
    *,
    now: dict,
    before: dict,
    alerts: int,
    index: list[float],
    period_kind: str,
    compare: str,
    scope_word: str,
    lang: str = "zh",
    orders: dict | None = None,
) -> Narrative:
    """The summary for one scope and period.

    ``now`` and ``before`` are ``metrics.headline`` for the period and the comparison period;
    ``alerts`` the number of alerts at the period's end; ``index`` the compounds' governance index;
    ``orders`` ``supervision.figures`` of the orders issued in the period (None when there were none:
    no sentence then)."""
    w = _Writer(lang, compare)
    compare_word = w.t(f"deck.nar.compare.{compare}")
    sentences = [
        w.t(
            "deck.nar.activities",
            period=w.t(f"deck.nar.period.{period_kind}"),
            scope=scope_word,
            activities=w.count("activities", now["activities"]),
            participants=w.count("participants", now["participants"]),
            visited=w.count("households_visited", now["households_visited"]),
            compare=compare_word,
            change=w.change("activities", now, before),
        ),
    ]

    if now["cases_received"]:
        cases = w.t(
            "deck.nar.cases",
            demands=w.count("demands_received", now["demands_received"]),
            disputes=w.count("disputes_received", now["disputes_received"]),
            response=w.rate("response_rate", now["response_rate"]),
            closure=w.rate("closure_rate", now["closure_rate"]),
            compare=compare_word,
            points=w.points("closure_rate", now, before),
        )
        if not _missing(now["median_days_to_close"]):
            cases += w.t("deck.nar.cases_days", days=w.count("median_days_to_close", now["median_days_to_close"]))
    else:
        cases = w.t("deck.nar.cases_none")
    if now["facility_projects_completed"]:
        projects = w.count("facility_projects_completed", now["facility_projects_completed"])
        works = w.t(
            "deck.nar.facilities",
            projects=projects,
            yuan=w.yuan("facility_investment_yuan", now["facility_investment_yuan"]),
        )
    else:
        works = w.t("deck.nar.facilities_none")
    sentences.append(cases + w.t("deck.nar.sep") + works + w.t("deck.nar.end"))

    if now["votes_held"]:
        sentences.append(
            w.t(
                "deck.nar.votes",
                votes=w.count("votes_held", now["votes_held"]),
                local=w.count("votes_passed_local", now["votes_passed_local"]),
                statutory=w.count("votes_passed_statutory", now["votes_passed_statutory"]),
                participation=w.rate("mean_vote_participation", now["mean_vote_participation"]),
            )
        )
    else:
        sentences.append(w.t("deck.nar.votes_none"))

    if now["reports_expected"]:
        reporting = w.t(
            "deck.nar.reporting",
            expected=w.count("reports_expected", now["reports_expected"]),
            received=w.count("reports_received", now["reports_received"]),
            rate=w.rate("reporting_rate", now["reporting_rate"]),
            on_time=w.rate("on_time_rate", now["on_time_rate"]),
        )
    else:
        reporting = w.t("deck.nar.reporting_none")
    if alerts:
        reporting += w.t("deck.nar.alerts", alerts=w.count("alerts", alerts))
    else:
        reporting += w.t("deck.nar.alerts_none")
    sentences.append(reporting)

    if orders:
        period_word = w.t(f"deck.nar.period.{period_kind}")
        issued = w.count("orders_issued", orders["issued"])
        if orders["due"]:
            sentences.append(
                w.t(
                    "deck.nar.orders",
                    period=period_word,
                    issued=issued,
                    on_time=w.rate("orders_closed_on_time_rate", orders["closed_on_time_rate"]),
                    overdue=w.count("orders_overdue", orders["overdue"]),
                )
            )
        else:
            sentences.append(w.t("deck.nar.orders_none_due", period=period_word, issued=issued))

    scores = [s for s in index if not _missing(s)]
    if len(scores) == 1:
        sentences.append(w.t("deck.nar.index_one", score=w.count("index", scores[0])))
    elif scores:
        sentences.append(
            w.t("deck.nar.index", top=w.count("index_top", max(scores)), bottom=w.count("index_bottom", min(scores)))
        )
    return Narrative(tuple(sentences), tuple(w.figures))
