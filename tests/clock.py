"""The test session's clock: ``pytest --clock ny-late`` (or ``WITHHOLD_TEST_CLOCK=ny-late``) runs
the whole session with the clock moved and still ticking (time-machine), so dates that are right
only while the UTC day and the agency's day agree are caught.

A clock is a preset naming a wall time *today* in a zone (so session cookies and signed links made
"now" stay valid) or an ISO 8601 date-time with its offset. Threads in the test process see the
moved clock; a ``withhold`` command the tests start in a subprocess (the browser tests' server)
is started through ``python -m tests.clock INSTANT withhold-args...`` (``command``) so it runs
on the same clock.
"""

import sys
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import time_machine

# 23:30 in New York is 04:30 UTC the next day; 00:30 UTC is the previous evening in New York.
PRESETS = {
    "ny-late": (time(23, 30), "America/New_York"),
    "utc-early": (time(0, 30), "UTC"),
}

_travel: time_machine.travel | None = None


class ClockError(ValueError):
    pass


def instant_of(spec: str) -> datetime:
    """The instant a clock value names: a preset (today at that wall time), or an ISO 8601
    date-time with an offset."""
    if spec in PRESETS:
        wall, zone = PRESETS[spec]
        tz = ZoneInfo(zone)
        return datetime.combine(datetime.now(tz).date(), wall, tzinfo=tz)
    try:
        instant = datetime.fromisoformat(spec)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise ClockError(
            f"clock {spec!r}: give {', '.join(PRESETS)}, or a date-time with its offset "
            "such as 2026-12-07T23:30:00-05:00."
        )
    return instant


def start(instant: datetime) -> None:
    """Move this process's clock to ``instant``; it keeps ticking from there."""
    global _travel
    _travel = time_machine.travel(instant, tick=True)
    _travel.start()


def stop() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def command(*args: str) -> list[str]:
    """The command line of ``withhold *args`` run by this interpreter, on this process's clock
    when the session's clock is moved."""
    if _travel is None:
        return [sys.executable, "-m", "withhold.cli", *args]
    return [sys.executable, "-m", "tests.clock", datetime.now(UTC).isoformat(), *args]


def main() -> None:
    """``python -m tests.clock INSTANT ARGS...``: ``withhold ARGS...`` with the clock at INSTANT."""
    start(datetime.fromisoformat(sys.argv[1]))
    sys.argv = ["withhold", *sys.argv[2:]]
    from withhold.cli import main as withhold_main

    sys.exit(withhold_main())


if __name__ == "__main__":
    main()
