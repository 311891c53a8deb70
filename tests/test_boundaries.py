"""The adapter boundary: only saleor_amazon_channel.plugin may import Saleor."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint_imports = pathlib.Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_wheel_ships_only_the_plugin():
    """The emulator, demo and tests are repository tools: setuptools' package discovery
    (as configured) picks no top-level package but the plugin."""
    import fnmatch
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert {"amazon_emulator", "saleor_amazon_channel"} <= packages
    shipped = {name for name in packages if any(fnmatch.fnmatchcase(name, pattern) for pattern in include)}
    assert shipped == {"saleor_amazon_channel"}
