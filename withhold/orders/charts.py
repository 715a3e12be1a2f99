"""Bar charts drawn as SVG on the server (GAO-21-106 figures 2 and 3), no JavaScript. Pure:
``bar_chart`` turns (label, value) pairs into the coordinates the template draws."""

from dataclasses import dataclass


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


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    horizontal: bool
    baseline: float


def bar_chart(
    items: list[tuple[str, int]], *, horizontal: bool = False, width: int = 560, bar: int = 26
) -> Chart:
    """Vertical bars (years along the bottom) or horizontal ones (a country per line)."""
    top = max((value for _, value in items), default=0) or 1
    if horizontal:
        label_width, gap = 190, 8
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
