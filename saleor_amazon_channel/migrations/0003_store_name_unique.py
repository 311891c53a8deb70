"""Store names unique whatever their case, enforced by the database (issue 9).

Names saved before this were only checked in Python, so racing creates may have left
case variants ("Race Store", "race store"): the later ones get a numbered suffix first.
Names are compared as the index compares them, by the database's LOWER() (issue 15, bug 1).
Existing names are not re-normalised (NFC applies to names typed from now on).
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def _db_lower(connection, name: str) -> str:
    """The name as the unique index sees it: the database's own LOWER(), not Python's lower()
    ("İzmir" is "i̇zmir" to Python, "izmir" to PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT LOWER(%s)", [name])
        return cursor.fetchone()[0]


def _suffixed(connection, name: str, number: int, taken: set[str]) -> tuple[str, str]:
    while True:
        suffix = f" ({number})"
        candidate = name[: 100 - len(suffix)] + suffix
        key = _db_lower(connection, candidate)
        if key not in taken:
            return candidate, key
        number += 1


def rename_case_duplicates(apps, schema_editor):
    """Compare names by Lower(name) computed in the database, the index's own expression."""
    AmazonStore = apps.get_model("saleor_amazon_channel", "AmazonStore")
    connection = schema_editor.connection
    rows = list(
        AmazonStore.objects.using(connection.alias)
        .annotate(key=Lower("name"))
        .order_by("pk")
        .values_list("pk", "name", "key")
    )
    # Every name in use, so a suffix never collides with a store that already has it.
    taken = {key for _, _, key in rows}
    kept = set()
    for pk, name, key in rows:
        if key in kept:
            new_name, key = _suffixed(connection, name, 2, taken)
            taken.add(key)
            AmazonStore.objects.using(connection.alias).filter(pk=pk).update(name=new_name)
        kept.add(key)


class Migration(migrations.Migration):
    dependencies = [("saleor_amazon_channel", "0002_consent_binding")]

    operations = [
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="amazonstore",
            constraint=models.UniqueConstraint(Lower("name"), name="amazon_channel_store_name_ci_unique"),
        ),
    ]
