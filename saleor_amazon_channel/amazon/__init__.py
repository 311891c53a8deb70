"""A small hand-written Amazon client: LWA tokens and the Sellers API, over ``requests``.

- :mod:`.errors`: the exceptions every call raises;
- :mod:`.http`: sessions, timeouts, bounded retries;
- :mod:`.lwa`: ``exchange_code`` and ``refresh_access_token``;
- :mod:`.sellers`: ``get_marketplace_participations``;
- :mod:`.tokens`: ``get_access_token`` (cached per authorization) and ``forget_access_token``.
"""
