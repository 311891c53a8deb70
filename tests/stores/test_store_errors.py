"""One answer to "what error does this store show" (issue 15): the store's own problem first, else its
authorization's; a code always comes with words, and the status, GraphQL and the check command agree."""

import pytest
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore, shown_error

pytestmark = pytest.mark.django_db

QUERY = "query($id: ID!) { amazonStore(id: $id) { status lastError lastErrorCode } }"


def make_store(channel, **authorization_fields):
    authorization = None
    if authorization_fields is not None:
        authorization = SellerAuthorization(selling_partner_id="A1SELLER", region="NA", **authorization_fields)
        authorization.renew("Atzr|token")
        for name, value in authorization_fields.items():
            setattr(authorization, name, value)
        authorization.save()
    return AmazonStore.objects.create(
        name="Error Store", contact_email="a@example.com", channel=channel, marketplace_id="ATVPDKIKX0DER",
        product_id_type="SKU", product_id_source="variant_sku", authorization=authorization,
    )


def read(api, store):
    from saleor_amazon_channel.core import ids

    return api.execute(QUERY, {"id": ids.to_global_id("AmazonStore", store.pk)})["data"]["amazonStore"]


def test_a_healthy_store_shows_no_error(staff_api, channel_usd):
    store = make_store(channel_usd)
    assert shown_error(store) is None
    assert read(staff_api, store) == {"status": "CONNECTED", "lastError": None, "lastErrorCode": None}


def test_the_stores_own_problem_comes_first(staff_api, channel_usd):
    store = make_store(channel_usd, last_error_code="UNAUTHORIZED", last_error_message="Amazon refused the token.")
    store.last_error_code = Outcome.MARKETPLACE_NOT_PARTICIPATING.value
    store.last_error_message = "Not selling in the US."
    store.save()
    error = shown_error(store)
    assert (error.code, error.message) == (Outcome.MARKETPLACE_NOT_PARTICIPATING.value, "Not selling in the US.")
    assert read(staff_api, store)["lastErrorCode"] == Outcome.MARKETPLACE_NOT_PARTICIPATING.value


def test_an_error_code_without_words_still_shows(staff_api, channel_usd):
    """The status says ERROR from the code alone: the error fields must not be empty then."""
    store = make_store(channel_usd, last_error_code=Outcome.AMAZON_UNAVAILABLE.value, last_error_message="")
    assert store.status() == ConnectionStatus.ERROR
    assert read(staff_api, store) == {
        "status": "ERROR",
        "lastError": Outcome.AMAZON_UNAVAILABLE.message,
        "lastErrorCode": Outcome.AMAZON_UNAVAILABLE.value,
    }
    assert store.last_error == Outcome.AMAZON_UNAVAILABLE.message


def test_an_expired_authorization_keeps_its_last_error(channel_usd):
    store = make_store(channel_usd, last_error_code="UNAUTHORIZED", last_error_message="Refused.")
    store.authorization.expires_at = timezone.now()
    error = shown_error(store)
    assert (error.code, error.message) == ("UNAUTHORIZED", "Refused.")
