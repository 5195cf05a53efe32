"""The disclosures ledger: monthly public accounts of the compound's income and spending."""

from __future__ import annotations

import datetime as dt

from services.demo.ledgers.book import CompoundBook, money
from services.demo.randomness import weighted
from services.demo.real_compounds import REAL_CHENGHUANG
from services.demo.vocabulary import DISCLOSURE_CHANNEL_WEIGHTS, OCCASIONAL_CHANNEL_WEIGHTS
from services.domain import month_end, month_of


def add_disclosures(book: CompoundBook) -> None:
    """3 in 4 compounds with a company or owners' committee disclose most months; 城隍步行街 every month."""
    rng, c = book.rng, book.compound
    chenghuang = book.plan.real == REAL_CHENGHUANG
    oc = c["owners_committee_founded"]
    if not chenghuang and (not (c["property_company"] or oc) or rng.random() >= 0.75):
        return
    regularity = 1.0 if chenghuang else rng.uniform(0.8, 0.99)
    if chenghuang:
        per_hh, channel = 15.0, "微信群"
    else:
        per_hh = rng.uniform(35, 90) if c["property_company"] else rng.uniform(8, 25)
        channel = weighted(rng, DISCLOSURE_CHANNEL_WEIGHTS)
    for month in book.months:
        if not c["property_company"] and not chenghuang and month_of(oc) > month:
            continue
        if rng.random() >= regularity:
            continue
        income = book.households * per_hh * rng.uniform(0.9, 1.1)
        spending = income * rng.uniform(0.8, 1.1)
        used = channel
        if not chenghuang and rng.random() >= 0.85:
            used = weighted(rng, OCCASIONAL_CHANNEL_WEIGHTS)
        sub_day = book.sub_dates[month]
        disclosed = min(sub_day, month_end(month) + dt.timedelta(days=rng.randint(1, 3)))
        book.rows["disclosures"].append(
            {
                "month": month,
                "is_current": True,
                "income_yuan": money(income),
                "spending_yuan": money(spending),
                "disclosed_date": disclosed,
                "channel": used,
            }
        )
