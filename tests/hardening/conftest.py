"""Counts every bad input the hardening suite sends, and every 500 it got back (must be none)."""

from collections import Counter

TALLY = Counter()


def record(kind: str, status: int):
    TALLY["inputs"] += 1
    TALLY[f"inputs:{kind}"] += 1
    if status >= 500:
        TALLY["answered 500"] += 1


def pytest_terminal_summary(terminalreporter):
    if TALLY["inputs"]:
        kinds = ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in sorted(TALLY.items()) if k.startswith("inputs:"))
        terminalreporter.write_line(
            f"hardening: {TALLY['inputs']} generated inputs ({kinds}); {TALLY['rejected']} rejected with a 4xx or "
            f"a coded error; {TALLY['answered 500']} answered 500"
        )
