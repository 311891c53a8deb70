"""Django system checks: the plugin active without its Amazon credentials (W003)."""

import pytest
from django.core import checks

from saleor_amazon_channel.checks import check_plugin_configuration
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET


def w003(messages):
    return [m for m in messages if m.id == "saleor_amazon_channel.W003"]


@pytest.mark.parametrize(
    "missing, names",
    [
        ({"application_id": ""}, "applicationId"),
        ({"lwa_client_id": ""}, "lwaClientId"),
        ({"lwa_client_secret": "  "}, "lwaClientSecret"),
        (
            {"application_id": "", "lwa_client_id": "", "lwa_client_secret": ""},
            "applicationId, lwaClientId, lwaClientSecret",
        ),
    ],
)
def test_active_plugin_missing_a_credential_warns(configure_plugin, missing, names):
    values = {"application_id": APPLICATION_ID, "lwa_client_id": CLIENT_ID, "lwa_client_secret": CLIENT_SECRET}
    configure_plugin(active=True, **{**values, **missing})
    [warning] = w003(check_plugin_configuration(databases=["default"]))
    assert warning.level == checks.WARNING
    assert warning.msg.endswith("missing " + names + ".")
    assert "Extensions" in warning.hint


def test_configured_plugin_is_fine(plugin):
    assert w003(check_plugin_configuration(databases=["default"])) == []


def test_inactive_plugin_is_not_reported(configure_plugin):
    configure_plugin(active=False, application_id="", lwa_client_id="", lwa_client_secret="")
    assert w003(check_plugin_configuration(databases=["default"])) == []


def test_no_configuration_row_yet_is_not_reported(db):
    assert w003(check_plugin_configuration(databases=["default"])) == []


def test_it_runs_with_djangos_checks(configure_plugin):
    """Registered: ``manage.py check`` shows it."""
    configure_plugin(active=True, application_id=APPLICATION_ID, lwa_client_id=CLIENT_ID, lwa_client_secret="")
    assert [m.id for m in w003(checks.run_checks(include_deployment_checks=False, databases=["default"]))] == [
        "saleor_amazon_channel.W003"
    ]


# --- Issue 15, item 11: database checks only on request; every setting validated and documented.

import pathlib  # noqa: E402
import re  # noqa: E402

from saleor_amazon_channel import checks as plugin_checks  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_checks_that_read_the_database_run_only_when_asked(configure_plugin, django_assert_num_queries):
    """Every manage.py command runs the checks: the ones reading the database (decrypting every token)
    are tagged ``database`` and run only with ``check --database`` or ``migrate``."""
    configure_plugin(active=True, application_id=APPLICATION_ID, lwa_client_id=CLIENT_ID, lwa_client_secret="")
    with django_assert_num_queries(0):
        messages = checks.run_checks(include_deployment_checks=False)
    assert w003(messages) == []
    assert w003(checks.run_checks(include_deployment_checks=False, databases=["default"]))


def test_the_database_checks_are_tagged_database():
    registry = checks.registry.registry
    tagged = {check.__name__ for check in registry.get_checks() if checks.Tags.database in check.tags}
    assert {"check_stored_tokens", "check_plugin_configuration"} <= tagged


def e002(messages):
    return [m for m in messages if m.id == "saleor_amazon_channel.E002"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AMAZON_CHANNEL_HTTP_TIMEOUT", "fast"),
        ("AMAZON_CHANNEL_HTTP_TIMEOUT", (5,)),
        ("AMAZON_CHANNEL_HTTP_TIMEOUT", -1),
        ("AMAZON_CHANNEL_HTTP_RETRY_BUDGET", -1),
        ("AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS", 0),
        ("AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS", 2.5),
        ("AMAZON_CHANNEL_CATALOG_RATE", 0),
        ("AMAZON_CHANNEL_CATALOG_RATE", "2"),
        ("AMAZON_CHANNEL_CATALOG_LEASE", 0),
        ("AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS", -1),
        ("AMAZON_CHANNEL_CHECK_CONCURRENCY", 0),
        ("AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH", 0),
        ("AMAZON_CHANNEL_GRAPHQL_MAX_COST", -5),
        ("AMAZON_CHANNEL_GRAPHQL_MAX_ALIASES", True),
        ("AMAZON_CHANNEL_GRAPHQL_ANONYMOUS_INTROSPECTION", "yes"),
        ("AMAZON_CHANNEL_SP_API_URL", "not a url"),
        ("AMAZON_CHANNEL_LWA_TOKEN_URL", "ftp://example.com/token"),
        ("AMAZON_CHANNEL_LWA_CLIENT_SECRET", 123),
        ("AMAZON_CHANNEL_HOST", "no.such.Host"),
    ],
)
def test_a_bad_setting_is_an_error_naming_it(settings, name, value):
    setattr(settings, name, value)
    [error] = e002(plugin_checks.check_settings())
    assert error.level == checks.ERROR
    assert error.msg.startswith(name + ":")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AMAZON_CHANNEL_HTTP_TIMEOUT", 3),
        ("AMAZON_CHANNEL_HTTP_TIMEOUT", (2, 10.5)),
        ("AMAZON_CHANNEL_CATALOG_RATE", 0.5),
        ("AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS", 0),
        ("AMAZON_CHANNEL_GRAPHQL_MAX_COST", 0),
        ("AMAZON_CHANNEL_SP_API_URL", "http://127.0.0.1:8001"),
    ],
)
def test_a_good_setting_passes(settings, name, value):
    setattr(settings, name, value)
    assert e002(plugin_checks.check_settings()) == []


def test_the_defaults_pass():
    assert e002(plugin_checks.check_settings()) == []


def test_every_setting_the_plugin_reads_is_checked_and_documented():
    source = " ".join(path.read_text() for path in (ROOT / "saleor_amazon_channel").rglob("*.py"))
    read = set(re.findall(r"\bAMAZON_CHANNEL_[A-Z0-9_]*[A-Z0-9]\b", source))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(AMAZON_CHANNEL_[A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    assert read - set(plugin_checks.SETTINGS) == set()
    assert read - documented == set()


def test_celery_running_tasks_inline_warns(settings):
    from saleor_amazon_channel.checks import check_celery_worker

    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert [message.id for message in check_celery_worker()] == ["saleor_amazon_channel.W006"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert check_celery_worker() == []
