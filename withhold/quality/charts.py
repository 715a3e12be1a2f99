"""The trend of the data-quality report as an SVG line chart drawn on the server. Pure: turns
dated values into the coordinates the template draws."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    top: int
    series: list[Series]
    baseline: float
    left: float


COLOURS = ("#005ea2", "#d54309", "#008817")


def line_chart(
    labels: list[str], series: list[tuple[str, list[int]]], *, width: int = 640, height: int = 240
) -> LineChart:
    """One line per (name, values), values aligned with ``labels`` (oldest first)."""
    left, right, top_pad, bottom = 40.0, 20.0, 20.0, 30.0
    top = max((v for _, values in series for v in values), default=0) or 1
    usable_w = width - left - right
    usable_h = height - top_pad - bottom
    step = usable_w / max(len(labels) - 1, 1)
    drawn = []
    for i, (name, values) in enumerate(series):
        points = [
            Point(
                labels[j],
                value,
                left + j * step,
                height - bottom - usable_h * value / top,
            )
            for j, value in enumerate(values)
        ]
        drawn.append(Series(name, COLOURS[i % len(COLOURS)], points))
    return LineChart(width, height, top, drawn, height - bottom, left)
