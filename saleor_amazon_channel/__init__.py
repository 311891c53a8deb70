"""Amazon Sales Channel for Saleor.

Amazon stores connected to Amazon Seller Central through the SP-API website
authorization workflow, managed from the Saleor Dashboard and GraphQL.
Only :mod:`saleor_amazon_channel.plugin` imports Saleor; everything else is
plain Django, graphene 2, Celery and requests.
"""

PLUGIN_ID = "saleor_amazon_channel"
# Extensions → Installed lists the app and the plugin side by side: each name says what it is.
APP_NAME = "Amazon Sales Channel"
PLUGIN_NAME = "Amazon Sales Channel – settings"

__version__ = "0.1.0"
