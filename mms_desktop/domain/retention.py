"""Which backups to keep: recent ones, then one a day, a week, a month.

As in Time Machine or restic's ``forget --keep-*``: the newest few, then
the newest of each of the last days, weeks and months. Pure: it decides from
the times alone, and never drops the newest backup.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timedelta

KEEP_RECENT = 5
KEEP_DAYS = 7
KEEP_WEEKS = 5
KEEP_MONTHS = 12


def _newest_per(
    times: list[datetime], period: Callable[[datetime], Hashable], periods: set[Hashable]
) -> set[datetime]:
    chosen: dict[Hashable, datetime] = {}
    for moment in times:  # newest first: the first seen of a period wins
        key = period(moment)
        if key in periods and key not in chosen:
            chosen[key] = moment
    return set(chosen.values())


def to_keep(times: Iterable[datetime], now: datetime) -> set[datetime]:
    """The backup times worth keeping (all aware datetimes)."""
    ordered = sorted(set(times), reverse=True)
    keep = set(ordered[:KEEP_RECENT])
    days = {(now - timedelta(days=n)).date() for n in range(KEEP_DAYS)}
    keep |= _newest_per(ordered, lambda moment: moment.date(), set(days))
    weeks = {(now - timedelta(weeks=n)).isocalendar()[:2] for n in range(KEEP_WEEKS)}
    keep |= _newest_per(ordered, lambda moment: moment.isocalendar()[:2], set(weeks))
    months: set[Hashable] = set()
    year, month = now.year, now.month
    for _ in range(KEEP_MONTHS):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keep |= _newest_per(ordered, lambda moment: (moment.year, moment.month), months)
    return keep
