"""The figures a bench run reports, each with an optional target it must meet."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

COMPARISONS = {
    ">=": lambda value, target: value >= target,
    "<=": lambda value, target: value <= target,
}


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None  # None when nothing could be measured
    unit: str
    target: float | None = None  # None: informative, always ok when measured
    compare: str = ">="

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        if self.target is None:
            return True
        return COMPARISONS[self.compare](self.value, self.target)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "ok": self.ok,
        }

    def line(self) -> str:
        value = "n/a" if self.value is None else f"{self.value:,.3f}".rstrip("0").rstrip(".")
        text = f"{self.name:<34} {value:>12} {self.unit:<6}"
        if self.target is not None:
            text += f"  target {self.compare} {self.target:g}  {'ok' if self.ok else 'MISSED'}"
        elif self.value is None:
            text += "  MISSED (not measured)"
        return text


class Results:
    """Figures in the order they were added; names are unique."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def add(
        self,
        name: str,
        value: float | None,
        unit: str,
        target: float | None = None,
        compare: str = ">=",
    ) -> Figure:
        if compare not in COMPARISONS:
            raise ValueError(f"compare must be one of {sorted(COMPARISONS)}, not {compare!r}")
        if any(figure.name == name for figure in self.figures):
            raise ValueError(f"figure {name!r} was already added")
        if value is not None:
            value = float(value)
            if not math.isfinite(value):
                value = None
            else:
                value = round(value, 3)
        figure = Figure(name, value, unit, target, compare)
        self.figures.append(figure)
        return figure

    @property
    def ok(self) -> bool:
        return all(figure.ok for figure in self.figures)

    @property
    def missed(self) -> list[Figure]:
        return [figure for figure in self.figures if not figure.ok]

    def lines(self) -> list[str]:
        return [figure.line() for figure in self.figures]

    def write(self, path: Path) -> None:
        data = [figure.as_dict() for figure in self.figures]
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
