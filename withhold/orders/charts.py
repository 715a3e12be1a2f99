"""Bar charts drawn as SVG on the server (GAO-21-106 figures 2 and 3), no JavaScript. Pure:
``bar_chart`` turns (label, value) pairs into the coordinates the template draws.

Both register charts are horizontal: one labelled bar per line, its value at its end, so every
label has room whatever the number of bars (the orders by year run from 1953 to today: as
vertical bars in half a page they were a smear of overlapping years). ``by_year_rows`` keeps
one bar per year that has orders, or a lone empty year between two that have (GAO-21-106
figure 2 shows 2017's zero), and folds a run of empty years into one line ("1959-1990: none").
"""

from dataclasses import dataclass

EMPTY_RUN = 3  # this many empty years in a row or more are one line


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    empty_run: bool = False  # a run of years with no orders: a line without a bar

    @property
    def value_text(self) -> str:
        return "none" if self.empty_run else str(self.value)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    horizontal: bool
    baseline: float


def by_year_rows(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """``items``: (year, count) for every year in order. Runs of ``EMPTY_RUN`` or more empty
    years become one row labelled "first–last" with count 0."""
    rows: list[tuple[str, int]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= EMPTY_RUN:
            rows.append((f"{run[0]}–{run[-1]}", 0))
        else:
            rows.extend((year, 0) for year in run)
        run.clear()

    for year, count in items:
        if count:
            flush()
            rows.append((year, count))
        else:
            run.append(year)
    flush()
    return rows


def bar_chart(
    items: list[tuple[str, int]],
    *,
    horizontal: bool = False,
    width: int = 560,
    bar: int = 26,
    label_width: int = 190,
) -> Chart:
    """Vertical bars (a few labels along the bottom) or horizontal ones (a label per line). A
    label with "–" and the value 0 is a run of empty years (``by_year_rows``)."""
    top = max((value for _, value in items), default=0) or 1
    if horizontal:
        gap = 8
        usable = width - label_width - 40
        height = max(len(items), 1) * (bar + gap) + gap
        bars = []
        for i, (label, value) in enumerate(items):
            y = gap + i * (bar + gap)
            length = usable * value / top
            bars.append(
                Bar(
                    label,
                    value,
                    label_width,
                    y,
                    length,
                    bar,
                    label_width - 6,
                    y + bar * 0.68,
                    label_width + length + 4,
                    y + bar * 0.68,
                    empty_run=value == 0 and "–" in label,
                )
            )
        return Chart(width, height, bars, True, label_width)
    height, bottom, top_pad = 240, 30, 20
    usable = height - bottom - top_pad
    slot = width / max(len(items), 1)
    bar_width = min(slot * 0.7, 60)
    bars = []
    for i, (label, value) in enumerate(items):
        length = usable * value / top
        x = i * slot + (slot - bar_width) / 2
        y = height - bottom - length
        bars.append(
            Bar(
                label,
                value,
                x,
                y,
                bar_width,
                length,
                x + bar_width / 2,
                height - bottom + 18,
                x + bar_width / 2,
                y - 5,
            )
        )
    return Chart(width, height, bars, False, height - bottom)
