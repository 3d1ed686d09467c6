"""The current time, in UTC. `DLPREP_NOW` (ISO 8601) pins it, for tests and for trying schedules."""

from __future__ import annotations

import os
from datetime import datetime, timezone

NOW_ENV = "DLPREP_NOW"


def now() -> datetime:
    pinned = os.environ.get(NOW_ENV)
    if not pinned:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(pinned)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
