"""The host's Celery app must exist before a task is called: the stand-in's here, Saleor's in Saleor."""

import pytest
from django.conf import settings


def in_standin_host() -> bool:
    return getattr(settings, "AMAZON_CHANNEL_HOST", "").startswith("tests.standin")


@pytest.fixture
def standin_host():
    """Worker and beat subprocesses start with the stand-in host's Celery app and settings."""
    if not in_standin_host():
        pytest.skip("starts stand-in host processes (tests/standin)")


def host_celery_app():
    if in_standin_host():
        from tests.standin.celery import app
    else:  # pytest --saleor
        from saleor.celeryconf import app
    return app


@pytest.fixture(scope="session", autouse=True)
def celery_app():
    app = host_celery_app()
    app.set_current()
    return app
