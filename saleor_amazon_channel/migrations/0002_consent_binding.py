from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("saleor_amazon_channel", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingconnection",
            name="browser_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="pendingconnection",
            name="expected_seller",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="pendingconnection",
            index=models.Index(fields=["user", "created_at"], name="amazon_channel_pending_user"),
        ),
    ]
