from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("saleor_amazon_channel", "0004_catalog_match"),
    ]

    operations = [
        migrations.CreateModel(
            name="SetupTask",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "key",
                    models.CharField(
                        choices=[
                            ("seller_account", "Amazon seller account"),
                            ("primary_user", "Primary user"),
                            ("attributes", "Product attributes"),
                            ("sp_api_app", "SP-API application"),
                            ("seller_settings", "Seller Central settings"),
                        ],
                        max_length=32,
                        unique=True,
                    ),
                ),
                ("done", models.BooleanField(default=False)),
                ("actor", models.CharField(blank=True, default="", max_length=255)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
