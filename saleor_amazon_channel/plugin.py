"""The Saleor adapter: the only module that imports Saleor.

``AmazonChannelPlugin`` is what Saleor loads through the ``saleor.plugins`` entry
point; ``SaleorHost`` gives the rest of the package the few Saleor facilities it
needs (authentication, configuration, staff e-mails, notify, URLs, writer DB).
"""

from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from . import PLUGIN_ID, PLUGIN_NAME
from . import config as plugin_config
from .host import AuthenticationFailed, Host, Requestor, ANONYMOUS


class AmazonChannelPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = PLUGIN_NAME
    PLUGIN_DESCRIPTION = (
        "Connect Amazon stores to Amazon Seller Central (SP-API) and manage them from the dashboard."
    )
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = False
    DEFAULT_CONFIGURATION = plugin_config.DEFAULT_CONFIGURATION
    CONFIG_STRUCTURE = {
        plugin_config.APPLICATION_ID: {
            "type": ConfigurationTypeField.STRING,
            "label": plugin_config.FIELD_HELP[plugin_config.APPLICATION_ID][0],
            "help_text": plugin_config.FIELD_HELP[plugin_config.APPLICATION_ID][1],
        },
        plugin_config.CLIENT_ID: {
            "type": ConfigurationTypeField.STRING,
            "label": plugin_config.FIELD_HELP[plugin_config.CLIENT_ID][0],
            "help_text": plugin_config.FIELD_HELP[plugin_config.CLIENT_ID][1],
        },
        plugin_config.CLIENT_SECRET: {
            "type": ConfigurationTypeField.SECRET,
            "label": plugin_config.FIELD_HELP[plugin_config.CLIENT_SECRET][0],
            "help_text": plugin_config.FIELD_HELP[plugin_config.CLIENT_SECRET][1],
        },
        plugin_config.DRAFT_APP: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": plugin_config.FIELD_HELP[plugin_config.DRAFT_APP][0],
            "help_text": plugin_config.FIELD_HELP[plugin_config.DRAFT_APP][1],
        },
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = plugin_config.AmazonChannelConfig.from_items(self.configuration, active=self.active)

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration, **kwargs):
        from django.core.exceptions import ValidationError

        values = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        errors = plugin_config.validate(values, active=plugin_configuration.active)
        if errors:
            raise ValidationError({name: ValidationError(message, code="invalid") for name, message in errors.items()})

    def webhook(self, request, path, previous_value):
        from .routes import dispatch

        return dispatch(request, path, self.config)


class SaleorHost(Host):
    def authenticate(self, request) -> Requestor:
        raise NotImplementedError("verified against Saleor 3.23 by the adapter work")
