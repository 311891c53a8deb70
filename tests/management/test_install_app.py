import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_install_app_creates_then_updates_the_app(plugin, capsys):
    call_command("amazon_channel_install_app")
    assert "Installed" in capsys.readouterr().out
    call_command("amazon_channel_install_app")
    assert "Updated" in capsys.readouterr().out
    App = apps.get_model("app", "App")
    app = App.objects.get(identifier="saleor.app.amazon-sales-channel")
    assert app.is_active
    # Saleor stores mount and target lowercased (clean_manifest_data); the stand-in as given.
    assert app.extensions.filter(mount__iexact="NAVIGATION_CATALOG", target__iexact="APP_PAGE").count() == 1
