"""Study days: what "today" means for due cards, daily limits and statistics.

A study day runs from `day_starts_at` (4 a.m. by default, as in Anki) in the learner's
local time zone to the same hour the next day, so a review at 1:30 at night still counts
for the evening before. Times are stored in UTC and turned into local days only here.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Iterable


def study_date(moment: datetime, starts_at: int) -> date:
    local = moment.astimezone()
    return local.date() - timedelta(days=1) if local.hour < starts_at else local.date()


def start_of(day: date, starts_at: int) -> datetime:
    # A naive local time, then astimezone(): the offset in force that day, across DST changes.
    return datetime.combine(day, time(starts_at)).astimezone()


def bounds(moment: datetime, starts_at: int) -> tuple[datetime, datetime]:
    """The start and the end of the study day holding `moment`, as aware local times."""
    day = study_date(moment, starts_at)
    return start_of(day, starts_at), start_of(day + timedelta(days=1), starts_at)


def per_day(moments: Iterable[datetime], starts_at: int) -> Counter[date]:
    """How many of `moments` fall on each study day."""
    return Counter(study_date(moment, starts_at) for moment in moments)
