"""The plugin's own GraphQL API (graphene 2), served at ``<plugin>/graphql/``.

Saleor's schema cannot be extended by plugins, so the plugin serves its own,
following Saleor's conventions: camelCase, Relay global IDs, ``errors`` with codes.
"""
