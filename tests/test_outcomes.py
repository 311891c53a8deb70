"""One vocabulary of outcomes: the Python module, the GraphQL enum and the extension's copy agree."""

import pathlib

from saleor_amazon_channel import outcomes
from saleor_amazon_channel.consent import connections
from saleor_amazon_channel.graphql.core.types import AmazonStoreErrorCode
from saleor_amazon_channel.outcomes import Outcome

GENERATED = (
    pathlib.Path(__file__).resolve().parent.parent / "dashboard-extension" / "src" / "lib" / "outcomes.generated.ts"
)
SOURCES = pathlib.Path(outcomes.__file__).resolve().parent


def test_the_extension_copy_is_generated_from_the_module():
    assert GENERATED.read_text() == outcomes.typescript(), (
        "Run: .venv/bin/python -m saleor_amazon_channel.outcomes > dashboard-extension/src/lib/outcomes.generated.ts")


def test_every_outcome_has_a_message_and_a_use():
    for outcome in Outcome:
        assert outcome.message.strip() and len(outcome.message) <= 500
        assert outcome.is_graphql_code or outcome.is_page_reason or outcome.is_listing_reason


def test_the_graphql_enum_is_derived_from_the_outcomes():
    codes = AmazonStoreErrorCode._meta.enum
    assert [code.name for code in codes] == [o.name for o in Outcome if o.is_graphql_code]
    assert all(code.value == code.name.lower() for code in codes)
    assert "ALREADY_CONNECTED" not in codes.__members__  # nothing raised it


def test_every_outcome_is_raised_somewhere():
    """No code nothing raises: each one is named in the package's code (outside outcomes.py)."""
    text = "\n".join(p.read_text() for p in SOURCES.rglob("*.py") if p.name != "outcomes.py")
    text += (SOURCES / "outcomes.py").read_text().split("def of_amazon_error", 1)[1]  # its mapping raises some
    unused = [o.name for o in Outcome if f"Outcome.{o.name}" not in text and f"Code.{o.name}" not in text
              and f"AmazonStoreErrorCode.{o.name}" not in text]
    assert unused == []


def test_connections_have_no_second_vocabulary():
    assert not hasattr(connections, "Reason") and not hasattr(connections, "MESSAGES")


def test_the_migration_rewrites_earlier_stored_codes(channel_usd):
    """0002 turns what earlier versions stored (lower-case GraphQL codes, Amazon's raw codes) into outcome codes."""
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.consent.helpers import make_store

    migration = import_module("saleor_amazon_channel.migrations.0002_consent_binding")
    assert all(Outcome(target) for target in migration.LEGACY_CODES.values())
    now = timezone.now()
    legacy = [
        "marketplace_not_participating",
        "QuotaExceeded",
        "Unauthorized",
        "something_new",
        "AMAZON_UNAVAILABLE",
        "",
    ]
    authorizations = [
        SellerAuthorization.objects.create(selling_partner_id=f"A{i}", region="NA", encrypted_refresh_token="x",
                                           authorized_at=now, expires_at=now, last_error_code=code)
        for i, code in enumerate(legacy)
    ]
    store = make_store(channel_usd)
    AmazonStore.objects.filter(pk=store.pk).update(last_error_code="marketplace_not_participating")

    migration.store_outcome_codes(apps, None)

    codes = [SellerAuthorization.objects.get(pk=a.pk).last_error_code for a in authorizations]
    assert codes == ["MARKETPLACE_NOT_PARTICIPATING", "SP_API_THROTTLED", "SP_API_FORBIDDEN", "AMAZON_ERROR",
                     "AMAZON_UNAVAILABLE", ""]
    assert AmazonStore.objects.get(pk=store.pk).last_error_code == "MARKETPLACE_NOT_PARTICIPATING"
    assert all(code == "" or Outcome(code) for code in codes)
