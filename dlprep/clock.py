"""The current time, in UTC. `DLPREP_NOW` (ISO 8601) pins it, for tests and for trying schedules."""

from __future__ import annotations

import os
from datetime import datetime, timezone

NOW_ENV = "DLPREP_NOW"


class ClockError(ValueError):
    """`DLPREP_NOW` holds something that is not a date."""


def now() -> datetime:
    pinned = os.environ.get(NOW_ENV)
    if not pinned:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(pinned)
    except ValueError:
        raise ClockError(f"{NOW_ENV}={pinned!r} is not an ISO 8601 date or time (e.g. 2030-01-02 or 2030-01-02T09:30)") from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
