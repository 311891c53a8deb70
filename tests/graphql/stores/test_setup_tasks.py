"""The pre-configuration tasks a merchant ticks: stored on the server, for the whole staff."""

import pytest

from saleor_amazon_channel.stores.models import SetupTask

pytestmark = pytest.mark.django_db

SETUP = "query { amazonChannelSetup { isConfigured tasks { key done updatedAt updatedBy } } }"
TICK = """
mutation Tick($key: AmazonSetupTaskKey!, $done: Boolean!) {
  amazonChannelSetupTaskUpdate(key: $key, done: $done) {
    setup { tasks { key done updatedBy } }
    errors { field code message }
  }
}
"""
KEYS = ["SELLER_ACCOUNT", "PRIMARY_USER", "ATTRIBUTES", "SP_API_APP", "SELLER_SETTINGS"]


def tasks(api):
    body = api.execute(SETUP)
    assert "errors" not in body, body
    return {task["key"]: task for task in body["data"]["amazonChannelSetup"]["tasks"]}


def test_every_task_starts_not_done(staff_api):
    listed = tasks(staff_api)
    assert list(listed) == KEYS
    assert all(
        task == {"key": key, "done": False, "updatedAt": None, "updatedBy": None} for key, task in listed.items()
    )


def test_ticking_a_task_persists_and_says_who(staff_api, staff_user):
    body = staff_api.execute(TICK, {"key": "SELLER_ACCOUNT", "done": True})
    payload = body["data"]["amazonChannelSetupTaskUpdate"]
    assert payload["errors"] == []
    ticked = {task["key"]: task for task in payload["setup"]["tasks"]}
    assert ticked["SELLER_ACCOUNT"] == {"key": "SELLER_ACCOUNT", "done": True, "updatedBy": staff_user.email}

    # Seen again on a fresh read (another staff member, another browser).
    again = tasks(staff_api)
    assert again["SELLER_ACCOUNT"]["done"] is True and again["SELLER_ACCOUNT"]["updatedAt"]
    assert [key for key, task in again.items() if task["done"]] == ["SELLER_ACCOUNT"]

    staff_api.execute(TICK, {"key": "SELLER_ACCOUNT", "done": False})
    assert tasks(staff_api)["SELLER_ACCOUNT"]["done"] is False
    assert SetupTask.objects.count() == 1


def test_an_unknown_task_is_refused_and_changes_nothing(staff_api):
    response = staff_api.post(TICK, {"key": "PLUGIN_CONFIGURED", "done": True})
    assert response.status_code == 400  # a GraphQL validation error, as Saleor answers it
    assert "AmazonSetupTaskKey" in response.json()["errors"][0]["message"]
    assert not SetupTask.objects.exists()


def test_ticking_needs_manage_channels(staff_api_without_permission, anonymous_api):
    for api in (staff_api_without_permission, anonymous_api):
        body = api.execute(TICK, {"key": "ATTRIBUTES", "done": True})
        assert body.get("errors") and "MANAGE_CHANNELS" in body["errors"][0]["message"]
    assert not SetupTask.objects.exists()
