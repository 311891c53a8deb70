"""Tests that need real Saleor: collected only with ``pytest --saleor``.

Their modules import Saleor at the top, so the stand-in run must not even import them.
"""


def pytest_ignore_collect(collection_path, config):
    if not config.getoption("saleor") and collection_path.suffix == ".py" and collection_path.name != "__init__.py":
        return True
    return None
