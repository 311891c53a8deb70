"""Store names unique whatever their case, enforced by the database (issue 9).

Names saved before this were only checked in Python, so racing creates may have left
case variants ("Race Store", "race store"): the later ones get a numbered suffix first.
Existing names are not re-normalised (NFC applies to names typed from now on).
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def _suffixed(name: str, number: int, taken: set[str]) -> str:
    while True:
        suffix = f" ({number})"
        candidate = name[: 100 - len(suffix)] + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1


def rename_case_duplicates(apps, schema_editor):
    AmazonStore = apps.get_model("saleor_amazon_channel", "AmazonStore")
    stores = list(AmazonStore.objects.order_by("pk").only("pk", "name"))
    # Every name in use, so a suffix never collides with a store that already has it.
    taken = {store.name.lower() for store in stores}
    kept = set()
    for store in stores:
        name = store.name
        if name.lower() in kept:
            name = _suffixed(name, 2, taken)
            taken.add(name.lower())
        kept.add(name.lower())
        if name != store.name:
            AmazonStore.objects.filter(pk=store.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("saleor_amazon_channel", "0002_consent_binding")]

    operations = [
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="amazonstore",
            constraint=models.UniqueConstraint(Lower("name"), name="amazon_channel_store_name_ci_unique"),
        ),
    ]
