"""Write the plugin's GraphQL SDL to graphql/schema.graphql (run after changing the schema)."""

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.standin.settings")

import django  # noqa: E402

django.setup()

from saleor_amazon_channel.graphql.schema import schema  # noqa: E402

SDL_PATH = ROOT / "graphql" / "schema.graphql"


def render() -> str:
    return str(schema).strip() + "\n"


if __name__ == "__main__":
    SDL_PATH.write_text(render())
    print(f"wrote {SDL_PATH.relative_to(ROOT)}")
