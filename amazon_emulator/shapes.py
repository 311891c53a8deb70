"""Fault shapes (see faults.py): answers a client must survive without hanging, ballooning or crashing."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .faults import Fault
from .web import Response

CHUNK = 64 * 1024
DEFAULT_HUGE = 200 * 1024 * 1024
DEFAULT_DEPTH = 100_000
DEFAULT_INTERVAL = 0.5
JSON = ("Content-Type", "application/json")


def replaces_answer(fault: Fault) -> bool:
    """Shapes that answer instead of the handler (so the request consumes no code or token)."""
    return fault.shape in ("huge", "deep")


def answer(fault: Fault) -> Response:
    if fault.shape == "deep":
        depth = fault.size or DEFAULT_DEPTH
        return Response(fault.status or 200, b"[" * depth + b"]" * depth, [JSON])
    return Response(fault.status or 200, b"", [JSON], chunks=_huge(fault.size or DEFAULT_HUGE))


def reshape(fault: Fault, response: Response) -> Response:
    """Bend a normal answer: trickle its body, or put a NUL in every string of its JSON."""
    if fault.shape == "trickle":
        response.trickle = fault.interval or DEFAULT_INTERVAL
    elif fault.shape == "nul":
        try:
            body = json.loads(response.body.decode("utf-8"))
        except ValueError:
            return response
        response.body = json.dumps(_with_nul(body)).encode()
    return response


def _with_nul(value):
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, list):
        return [_with_nul(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_nul(item) for key, item in value.items()}
    return value


def _huge(size: int) -> Iterator[bytes]:
    """``{"payload": ["xxx…"]}`` of exactly ``size`` bytes (at least the frame), without holding it in memory."""
    head, tail = b'{"payload": ["', b'"]}'
    yield head
    left = max(0, size - len(head) - len(tail))
    while left > 0:
        step = min(CHUNK, left)
        yield b"x" * step
        left -= step
    yield tail
