"""Chooses the host the test suite runs in.

``pytest`` runs in the stand-in host (tests/standin), which CI can install.
``pytest --saleor`` runs the very same tests inside a real Saleor installed in the
environment, with Saleor's test settings and fixtures.
"""

import os


def pytest_addoption(parser):
    parser.addoption(
        "--saleor",
        action="store_true",
        default=False,
        help="Run inside a real Saleor (needs Saleor and this package installed in the environment).",
    )


def pytest_configure(config):
    saleor = config.getoption("saleor")
    # pytest-django sets Django up after user pytest_configure hooks, so this still counts.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.tests.settings" if saleor else "tests.standin.settings")
    import django

    # The host fixture modules import models; pytest-django's own setup then finds Django ready.
    django.setup()
    config.pluginmanager.import_plugin("tests.hosts.saleor" if saleor else "tests.hosts.standin")
    # Shared fixtures are plugins rather than imports into test modules (an imported fixture
    # is an unused name to linters, and then a redefinition when a test takes it as an argument).
    for plugin in (
        "tests.fixtures",
        "tests.amazon_fixtures",
        "tests.connected_stores",
        "tests.consent.helpers",
        "tests.catalog.stores",
        "tests.listings.helpers",
    ):
        config.pluginmanager.import_plugin(plugin)
