"""The trend chart of one indicator, drawn as SVG on the server (no JavaScript). Pure: turns the
monthly figures, and the monthly share of the target, into coordinates the template draws."""

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
    value_y: float
    href: str = ""


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    axis_y: float
    bars: list[Bar]
    reference: float | None  # the monthly target, drawn as a line
    reference_y: float | None


def trend_chart(
    items: list[tuple[str, int]],
    *,
    reference: float | None = None,
    hrefs: list[str] | None = None,
    width: int = 480,
    height: int = 180,
) -> TrendChart:
    """Vertical bars, one per month, scaled to the largest of the figures and the reference;
    ``hrefs`` (one per bar) make each bar a link to the records behind it."""
    bottom, top_pad = 26, 18
    usable = height - bottom - top_pad
    top = max([v for _, v in items] + [reference or 0]) or 1
    slot = width / max(len(items), 1)
    bar_width = min(slot * 0.7, 40)
    axis = height - bottom
    bars = []
    for i, (label, value) in enumerate(items):
        length = usable * value / top
        x = i * slot + (slot - bar_width) / 2
        bars.append(
            Bar(label, value, x, axis - length, bar_width, length, x + bar_width / 2, axis + 16,
                axis - length - 4, hrefs[i] if hrefs else "")
        )  # fmt: skip
    reference_y = None if reference is None else axis - usable * reference / top
    return TrendChart(width, height, axis, bars, reference, reference_y)
