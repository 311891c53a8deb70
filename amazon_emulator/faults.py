"""Injected faults: a FIFO of failures (or delays) per target.

A fault applies to the next ``count`` requests of its target, before any
protocol processing, so a faulted request consumes no code, token or rate
limit.  ``status`` and ``error`` may each be left out; every protocol module
fills in the missing half in its own dialect (see ``fault_response`` there).
A fault with only a ``delay`` slows requests down and then serves them
normally, which is what client-timeout tests need.

A ``shape`` bends the answer itself, for a client's defences against hostile answers:

- ``trickle``: the normal answer, its body sent one byte every ``interval`` seconds;
- ``huge``: a 200 JSON answer of ``size`` bytes, chunked (no Content-Length), streamed;
- ``deep``: a 200 answer of JSON nested ``size`` levels deep (default 100,000);
- ``nul``: the normal answer with a NUL character appended to every string in its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGETS = ("lwa", "sp-api", "seller-central")
SHAPES = ("trickle", "huge", "deep", "nul")


@dataclass
class Fault:
    target: str
    status: int | None = None
    error: str | None = None
    delay: float = 0.0
    count: int = 1
    shape: str | None = None
    size: int = 0
    interval: float = 0.0

    def __post_init__(self):
        if self.target not in TARGETS:
            raise ValueError(f"unknown fault target {self.target!r}; use one of {TARGETS}")
        if self.count < 1:
            raise ValueError("count must be at least 1")
        if self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.shape is not None and self.shape not in SHAPES:
            raise ValueError(f"unknown fault shape {self.shape!r}; use one of {SHAPES}")
        if self.size < 0 or self.interval < 0:
            raise ValueError("size and interval must not be negative")
        if self.status is None and self.error is None and not self.delay and self.shape is None:
            raise ValueError("a fault needs a status, an error, a delay or a shape")

    @property
    def fails(self) -> bool:
        """False for a pure delay or a shape: the request is then served (and shaped)."""
        return (self.status is not None or self.error is not None) and self.shape is None

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "status": self.status,
            "error": self.error,
            "delay": self.delay,
            "count": self.count,
            "shape": self.shape,
            "size": self.size,
            "interval": self.interval,
        }
