"""The "when you use electricity" section: TOU split, typical week, always-on load, peak."""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
from dash import html
from sqlalchemy.orm import Session

from web.formatting import money

from . import figures, insights, periods, tables, takeaways
from .profiles import profiles, tariff_for
from .selection import Selection


@dataclasses.dataclass(frozen=True)
class Habits:
    tou_figure: go.Figure
    tou_takeaway: str
    tou_table: html.Table
    week_figure: go.Figure
    week_takeaway: str
    week_table: html.Table
    baseload: str
    peak: str


def build(session: Session, sel: Selection) -> Habits:
    """Summaries of the period's readings (month profiles, cached) turned into charts and words."""
    meter, period = sel.meter, sel.period
    found = profiles(session, meter, period.first, period.last)
    split = insights.tou_split(found)
    pattern = insights.week_pattern(found)
    when = periods.span(period.first, period.last)
    price = split.price_cents_per_kwh if split else None
    currency = split.currency if split else meter.currency
    shares = split.shares if split else ()
    return Habits(
        tou_figure=figures.tou_figure(
            [(s.period, s.label, s.mwh_share, s.cost_share) for s in shares]
        ),
        tou_takeaway=takeaways.tou(split, tariff_known=tariff_for(meter) is not None),
        tou_table=tables.tou_table(
            [
                (
                    s.label,
                    s.mwh,
                    s.mwh_share,
                    money(round(s.cents), currency) if s.cents is not None else None,
                    s.cost_share,
                )
                for s in shares
            ],
            f"Use and energy cost by price period, {when} (before rebates and taxes)",
        ),
        week_figure=figures.heatmap_figure(pattern),
        week_takeaway=takeaways.heatmap(pattern),
        week_table=tables.week_table(pattern, f"Typical kWh in each hour of the week, {when}"),
        baseload=takeaways.baseload(insights.baseload_w(found), price, currency),
        peak=takeaways.peak(insights.peak(found), meter.tz),
    )
