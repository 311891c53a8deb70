"""Host fixtures: one module per host, each providing the same fixtures.

``make_channel``, ``make_attribute``, ``make_staff``, ``make_app``,
``auth_header``, ``configure_plugin``, ``notify_events``.
"""
