"""Install the dashboard extension directly.

Saleor's install-by-URL fetches the manifest over HTTP and refuses loopback and
private addresses; this command builds the same manifest and creates the app in
the database, so a local or private Saleor gets the extension too.
"""

from django.core.management.base import BaseCommand

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.dashboard import build_manifest


class Command(BaseCommand):
    help = "Install (or update) the Amazon Sales Channel dashboard extension as a Saleor app."

    def handle(self, *args: object, **options: object) -> None:
        host = get_host()
        manifest = build_manifest(host.schema_version())
        app_id, created = host.install_app(manifest)
        verb = "Installed" if created else "Updated"
        self.stdout.write(f"{verb} the app “{manifest['name']}” (id {app_id}), served at {manifest['appUrl']}")
