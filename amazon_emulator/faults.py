"""Injected faults: a FIFO of failures (or delays) per target.

A fault applies to the next ``count`` requests of its target, before any
protocol processing, so a faulted request consumes no code, token or rate
limit.  ``status`` and ``error`` may each be left out; every protocol module
fills in the missing half in its own dialect (see ``fault_response`` there).
A fault with only a ``delay`` slows requests down and then serves them
normally, which is what client-timeout tests need.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGETS = ("lwa", "sp-api", "seller-central")


@dataclass
class Fault:
    target: str
    status: int | None = None
    error: str | None = None
    delay: float = 0.0
    count: int = 1

    def __post_init__(self):
        if self.target not in TARGETS:
            raise ValueError(f"unknown fault target {self.target!r}; use one of {TARGETS}")
        if self.count < 1:
            raise ValueError("count must be at least 1")
        if self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.status is None and self.error is None and not self.delay:
            raise ValueError("a fault needs a status, an error or a delay")

    @property
    def fails(self) -> bool:
        """False for a pure delay: the request is then served normally."""
        return self.status is not None or self.error is not None

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "status": self.status,
            "error": self.error,
            "delay": self.delay,
            "count": self.count,
        }
