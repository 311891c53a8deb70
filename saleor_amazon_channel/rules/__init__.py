"""Listing rules (which variants a store offers on Amazon) and price rules (at what price).

They plug into the listings' desired-offer computation through :func:`listings.offers.register_rules`
(:mod:`.provider`, registered by the app config); the listings package never imports this one.
"""
