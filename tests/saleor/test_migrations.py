"""Our migrations inside Saleor 3.23: applied, no drift, and hooked onto Saleor's graph."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db

APP_LABEL = "saleor_amazon_channel"


def test_no_model_changes_without_a_migration():
    # Exits (SystemExit 1) when our models and migrations disagree.
    call_command("makemigrations", APP_LABEL, "--check", "--dry-run", verbosity=0)


def test_every_migration_is_applied():
    # Exits (SystemExit 1) when any app, ours included, has an unapplied migration.
    call_command("migrate", "--check", verbosity=0)


def test_our_migrations_depend_on_saleors_user_channel_and_app_tables():
    loader = MigrationLoader(connection)
    ours = sorted(key for key in loader.graph.nodes if key[0] == APP_LABEL)
    assert ours and all(key in loader.applied_migrations for key in ours)
    plan = loader.graph.forwards_plan(ours[-1])
    assert settings.AUTH_USER_MODEL == "account.User"
    for dependency in [("account", "0001_initial"), ("channel", "0001_initial"), ("app", "0001_initial")]:
        assert plan.index(dependency) < plan.index(ours[0])
    # Nothing of Saleor's depends on us: uninstalling the plugin never blocks Saleor's migrations.
    assert all(
        child[0] == APP_LABEL for key in ours for child in loader.graph.node_map[key].children
    )
