"""Fixtures for the emulator's own tests; independent of Django and the plugin."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The emulator lives at the repository root; make it importable however pytest is run.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from emulator_helpers import LOGIN_APP, PLAIN_APP, Browser  # noqa: E402

from amazon_emulator import Emulator  # noqa: E402


@pytest.fixture
def emulator():
    """A running emulator with the demo sellers and two apps (with and without log-in URI)."""
    with Emulator() as emu:
        emu.seed_demo()
        emu.register_app(**PLAIN_APP)
        emu.register_app(**LOGIN_APP)
        yield emu


@pytest.fixture
def browser(emulator):
    with Browser(emulator.url) as b:
        yield b
