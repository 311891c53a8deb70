from django.db import migrations, models

# Frozen here (a migration must not change with the code): earlier stored codes -> outcome codes.
LEGACY_CODES = {
    "marketplace_not_participating": "MARKETPLACE_NOT_PARTICIPATING",
    "amazon_unavailable": "AMAZON_UNAVAILABLE",
    "unavailable": "AMAZON_UNAVAILABLE",
    "authorization_revoked": "AUTHORIZATION_REVOKED",
    "invalid_grant": "INVALID_GRANT",
    "invalid_client": "INVALID_CLIENT",
    "missing_credentials": "PLUGIN_NOT_CONFIGURED",
    "unauthorized_client": "UNAUTHORIZED_CLIENT",
    "Unauthorized": "SP_API_FORBIDDEN",
    "QuotaExceeded": "SP_API_THROTTLED",
}


def store_outcome_codes(apps, schema_editor):
    """last_error_code held GraphQL codes in lower case and Amazon's raw codes: one vocabulary now."""
    for name in ("AmazonStore", "SellerAuthorization"):
        model = apps.get_model("saleor_amazon_channel", name)
        for code in model.objects.exclude(last_error_code="").values_list("last_error_code", flat=True).distinct():
            new = LEGACY_CODES.get(code) or (code if code.isupper() else "AMAZON_ERROR")
            if new != code:
                model.objects.filter(last_error_code=code).update(last_error_code=new)


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
        migrations.RunPython(store_outcome_codes, migrations.RunPython.noop),
    ]
