"""The demo: the stand-in host with the plugin, the Amazon emulator, and a page that
hosts the dashboard extension the way the Saleor Dashboard does. ``make demo``."""
