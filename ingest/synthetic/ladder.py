"""Participation-ladder scores (rungs 1-6) of working-age adults, yearly from 2009 to 2012.

Coached adults rose on average about one rung between their first score and the last one in 2012 (seed 002,
B3: "gemiddeld één trede hoger"); everybody else stays where they are, give or take a rung.
"""

from __future__ import annotations

from datetime import date

from .context import SURVEY, Context
from .households import Case

__all__ = ["ladder_scores"]

_RUNGS = (1, 2, 3, 4, 5, 6)
#: Baseline rung weights: multi-problem adults sit low; two thirds of households have no income from work.
_BASE_HEAVY = (30, 35, 20, 10, 5, 0)
_BASE_HELPED = (10, 25, 25, 15, 10, 15)
_BASE_OTHER = (5, 12, 13, 10, 10, 50)
_RISE_COACHED = ((0, 1, 2, 3), (25, 50, 20, 5))
_RISE_OTHER = ((-1, 0, 1), (12, 76, 12))


def ladder_scores(ctx: Context, case: Case, helped: bool) -> None:
    """Add four scores per adult aged 18-64 still living in ``case`` at the end of 2012."""
    rng = ctx.rng
    coached = case.intake is not None
    for m in case.adults():
        if m.age > 64 or m.until is not None:
            continue
        weights = _BASE_HEAVY if case.multi_problem else _BASE_HELPED if helped else _BASE_OTHER
        base = rng.choices(_RUNGS, weights)[0]
        values, rise_weights = _RISE_COACHED if coached else _RISE_OTHER
        last = min(6, max(1, base + rng.choices(values, rise_weights)[0]))
        first_day = case.intake if case.intake is not None else ctx.date_between(date(2009, 1, 5), SURVEY)
        days = (first_day,
                ctx.date_between(date(2010, 1, 15), date(2010, 11, 30)),
                ctx.date_between(date(2011, 1, 15), date(2011, 11, 30)),
                ctx.date_between(date(2012, 2, 1), date(2012, 11, 30)))
        for step, day in enumerate(days):
            rung = base + round((last - base) * step / 3)
            case.add(ctx.rec("ladder_score", id=ctx.next_id("LS"), person_id=m.person_id, date=day, rung=rung))
