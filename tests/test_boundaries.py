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


def test_every_third_party_import_of_the_plugin_is_a_declared_dependency():
    """What the plugin imports is in its dependency list (issue 15, item 11: promise, urllib3 and jwt
    were imported but undeclared). Saleor itself is not on PyPI; the standard library needs nothing."""
    import ast
    import importlib.metadata
    import re
    import tomllib

    declared = {
        re.split(r"[<>=~!\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for path in (ROOT / "saleor_amazon_channel").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("saleor_amazon_channel", "saleor"):
                    continue
                owners = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                if not owners & declared:
                    undeclared.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    assert undeclared == {}
