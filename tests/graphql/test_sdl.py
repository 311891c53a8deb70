import pathlib

from saleor_amazon_channel.graphql.schema import schema

SDL_PATH = pathlib.Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def test_checked_in_sdl_is_current():
    # Regenerate with `make sdl` (scripts/export_sdl.py) after changing the schema.
    assert SDL_PATH.read_text() == str(schema).strip() + "\n", "graphql/schema.graphql is stale: run `make sdl`"
