"""How much of something is done: learning items, a bulk run, an import."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` things, and the whole percent that makes."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        """Rounded as Python rounds (half to even); nothing to do counts as 0 %."""
        return round(100 * self.done / self.total) if self.total else 0
