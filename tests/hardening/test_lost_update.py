"""An edit must not undo what a callback or health check committed while it ran."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core.host import SYSTEM
from saleor_amazon_channel.core.ids import to_global_id
from saleor_amazon_channel.graphql.stores.mutations import get_store_or_error
from saleor_amazon_channel.stores import services as stores
from saleor_amazon_channel.stores.models import AmazonStore


def _link_authorization_elsewhere(store_pk):
    """What a consent callback commits: an authorization, and the store linked to it (own connection)."""
    try:
        now = timezone.now()
        authorization = SellerAuthorization(selling_partner_id="A2EUQ1WTGCTBG2", region="NA", authorized_at=now,
                                            expires_at=now + timezone.timedelta(days=365))
        authorization.refresh_token = "Atzr|callback-token"
        authorization.save()
        AmazonStore.objects.filter(pk=store_pk).update(authorization=authorization, last_error_code="checked")
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_callback_committing_during_an_edit_is_not_overwritten(plugin, channel_usd):
    store = AmazonStore.objects.create(name="Edited Store", contact_email="a@example.com", channel=channel_usd,
                                       marketplace_id="ATVPDKIKX0DER", product_id_type="SKU",
                                       product_id_source="variant_sku")
    # The mutation has loaded the store (no authorization yet) and is validating the input...
    loaded = get_store_or_error(to_global_id("AmazonStore", store.pk))
    assert loaded.authorization_id is None
    # ...when the consent callback commits the authorization link.
    thread = threading.Thread(target=_link_authorization_elsewhere, args=(store.pk,))
    thread.start()
    thread.join()

    updated = stores.update_store(loaded, {"name": "Renamed Store", "contact_email": "b@example.com"}, SYSTEM)

    row = AmazonStore.objects.get(pk=store.pk)
    assert (row.name, row.contact_email) == ("Renamed Store", "b@example.com")
    assert row.authorization_id is not None, "the edit put the authorization link back to null"
    assert row.last_error_code == "checked"
    assert updated.authorization_id == row.authorization_id


@pytest.mark.django_db(transaction=True)
def test_an_edit_waits_for_a_concurrent_writer_holding_the_row(plugin, channel_usd):
    """On PostgreSQL the edit takes the row lock: a writer holding it finishes first, and its columns survive."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from django.db import transaction

    store = AmazonStore.objects.create(name="Locked Store", contact_email="a@example.com", channel=channel_usd,
                                       marketplace_id="ATVPDKIKX0DER", product_id_type="SKU",
                                       product_id_source="variant_sku")
    loaded = AmazonStore.objects.get(pk=store.pk)
    locked, release = threading.Event(), threading.Event()

    def health_check():
        try:
            with transaction.atomic():
                row = AmazonStore.objects.select_for_update().get(pk=store.pk)
                locked.set()
                release.wait(5)
                row.last_error_code = "marketplace_not_participating"
                row.save(update_fields=["last_error_code"])
        finally:
            connection.close()

    thread = threading.Thread(target=health_check)
    thread.start()
    assert locked.wait(5)
    editor = threading.Thread(target=lambda: (stores.update_store(loaded, {"is_active": False}, SYSTEM),
                                              connection.close()))
    editor.start()
    release.set()
    thread.join()
    editor.join()
    row = AmazonStore.objects.get(pk=store.pk)
    assert row.is_active is False
    assert row.last_error_code == "marketplace_not_participating"
