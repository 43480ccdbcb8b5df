"""What LLM reviews cost: requests, input, output and cached tokens, and money at a stated price.

`Totals.add(usage)` for every review (failed attempts are in each usage); `Totals.line(...)`
is what `run`, `classify` and `eval` print at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Totals"]


@dataclass
class Totals:
    reviews: int = 0
    from_cache: int = 0
    failed: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    disagreements: int = 0  # reviews whose LLM verdict differs from the offline rules'

    def add(self, usage: dict | None, ok: bool = True) -> None:
        self.reviews += 1
        self.failed += not ok
        if not usage:
            return
        self.from_cache += bool(usage.get("cached"))
        self.disagreements += bool(usage.get("disagrees_with_offline"))
        self.requests += usage.get("requests", 0)
        self.prompt_tokens += usage.get("prompt_tokens", 0)
        self.completion_tokens += usage.get("completion_tokens", 0)
        self.cached_tokens += usage.get("cached_tokens", 0)

    def cost(self, price_in: float | None, price_out: float | None) -> float | None:
        """In the prices' currency, prices per million tokens; None without prices."""
        if price_in is None and price_out is None:
            return None
        return (self.prompt_tokens * (price_in or 0) + self.completion_tokens * (price_out or 0)) / 1e6

    def line(self, price_in: float | None = None, price_out: float | None = None) -> str:
        text = (f"LLM: {self.reviews} reviews ({self.from_cache} from cache, {self.failed} failed), "
                f"{self.requests} requests, {self.prompt_tokens:,} input tokens ({self.cached_tokens:,} cached), "
                f"{self.completion_tokens:,} output tokens")
        cost = self.cost(price_in, price_out)
        text += f", cost {cost:.4f} at {price_in or 0:g}/{price_out or 0:g} per million" if cost is not None else ""
        if self.disagreements:
            text += f"; {self.disagreements} verdicts differ from the offline rules (findings: offline_disagrees)"
        return text
