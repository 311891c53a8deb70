"""A loopback emulator of Amazon's Seller Central authorization, LWA and SP-API.

    from amazon_emulator import Emulator

    with Emulator() as emu:
        emu.register_app("amzn1.sellerapps.app.test", "client", "secret",
                         ["http://127.0.0.1:8000/oauth/callback"])
        emu.add_seller("seller@example.com", "pw", "A2SELLER")
        ...  # point the plugin's Amazon URLs at emu.url

Standard library only, so tests and demos need nothing installed.
"""

from .faults import Fault
from .server import Emulator

__all__ = ["Emulator", "Fault"]
