"""The host's Celery app must exist before a task is called: the stand-in's here, Saleor's in Saleor."""

import pytest
from django.conf import settings


def host_celery_app():
    if getattr(settings, "AMAZON_CHANNEL_HOST", "").startswith("tests.standin"):
        from tests.standin.celery import app
    else:  # pytest --saleor
        from saleor.celeryconf import app
    return app


@pytest.fixture(scope="session", autouse=True)
def celery_app():
    app = host_celery_app()
    app.set_current()
    return app
