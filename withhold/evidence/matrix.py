"""The indicator matrix: the ILO's 11 indicators of forced labour against a case's evidence.

Pure: takes plain rows, no database. For each indicator it counts the items that support it by the
reliability grade of their source (A–F), so an analyst and counsel see at a glance what the case
rests on (DOMAIN.md: "Evidence should be tagged with the indicators it supports").
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import SourceReliability

GRADES: list[str] = list(SourceReliability.values)


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(g, 0) for g in GRADES]

    @property
    def best_grade(self) -> str:
        """The most reliable source grade supporting the indicator, or "" if none does."""
        return next((g for g in GRADES if self.counts.get(g)), "")


def indicator_matrix(
    indicators: Iterable[tuple[int, int, str]], support: Iterable[tuple[int, str]]
) -> list[IndicatorRow]:
    """``indicators``: (id, number, name) of every ILO indicator; ``support``: one
    (indicator id, source reliability grade) pair per item tagged with that indicator."""
    counts: dict[int, dict[str, int]] = {}
    for indicator_id, grade in support:
        bucket = counts.setdefault(indicator_id, {})
        bucket[grade] = bucket.get(grade, 0) + 1
    return [
        IndicatorRow(number=number, name=name, counts=counts.get(pk, {}))
        for pk, number, name in sorted(indicators, key=lambda row: row[1])
    ]
