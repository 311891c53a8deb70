"""Catalog test fixtures (a pytest plugin, see conftest.py)."""

import pytest

from tests.connected_stores import SELLER_A, US


@pytest.fixture
def ean_store(connect_store):
    """A store connected to the emulator, mapping the variant attribute ``ean`` to EAN."""
    store = connect_store(SELLER_A, US)
    store.product_id_type, store.product_id_source, store.product_id_attribute = "EAN", "attribute", "ean"
    store.save()
    return store


@pytest.fixture
def host_celery():
    """The host's Celery app as the current one (eager in the stand-in without a broker, Saleor's in Saleor)."""
    from tests.tasks.conftest import host_celery_app

    app = host_celery_app()
    app.set_current()
    return app
