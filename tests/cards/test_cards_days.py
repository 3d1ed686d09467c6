"""Study days: from the day boundary (4 a.m. by default) to the next, in the learner's time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.cards import days

from .conftest import set_time_zone


@pytest.mark.parametrize(
    "zone, utc_time, starts_at, expected",
    [
        ("UTC", "2030-01-07T03:59", 4, date(2030, 1, 6)),
        ("UTC", "2030-01-07T04:00", 4, date(2030, 1, 7)),
        ("UTC", "2030-01-07T00:30", 0, date(2030, 1, 7)),
        ("Asia/Kolkata", "2030-01-06T20:00", 0, date(2030, 1, 7)),  # 01:30 in UTC+5:30: already the 7th
        ("Asia/Kolkata", "2030-01-06T20:00", 4, date(2030, 1, 6)),  # ... but before 4 a.m.: still the 6th
        ("America/Los_Angeles", "2030-01-07T06:00", 4, date(2030, 1, 6)),  # 22:00 on the 6th there
    ],
)
def test_study_date(monkeypatch, zone, utc_time, starts_at, expected):
    set_time_zone(monkeypatch, zone)
    moment = datetime.fromisoformat(utc_time).replace(tzinfo=timezone.utc)
    assert days.study_date(moment, starts_at) == expected


def test_a_study_day_across_a_daylight_saving_change_is_23_hours_long(monkeypatch):
    set_time_zone(monkeypatch, "Europe/Berlin")  # clocks go forward at 02:00 on 2030-03-31
    start, end = days.bounds(datetime(2030, 3, 30, 12, tzinfo=timezone.utc), 4)
    assert (start.hour, end.hour) == (4, 4) and end - start == timedelta(hours=23)
    start, end = days.bounds(datetime(2030, 3, 31, 12, tzinfo=timezone.utc), 4)
    assert end - start == timedelta(hours=24)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(0, 23))
def test_every_moment_lies_in_its_study_day(naive, starts_at):  # in UTC (conftest): days of 24 hours
    moment = naive.replace(tzinfo=timezone.utc)
    start, end = days.bounds(moment, starts_at)
    assert start <= moment < end and end - start == timedelta(days=1)
