"""Kiosk tokens are stored as their SHA-256 (issue 11): the hashes of the existing tokens are
filled in here, so registered tablets keep working; 0011 drops the plain tokens."""

import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    KioskDevice = apps.get_model("surveys", "KioskDevice")
    for kiosk in KioskDevice.objects.only("pk", "token"):
        kiosk.token_hash = hashlib.sha256(kiosk.token.encode()).hexdigest()
        kiosk.token_prefix = kiosk.token[:4]
        kiosk.save(update_fields=["token_hash", "token_prefix"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_period_closed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="kioskdevice",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="kioskdevice",
            name="token_prefix",
            field=models.CharField(default="", editable=False, max_length=8),
            preserve_default=False,
        ),
        # Not reversible: the plain tokens are not kept anywhere.
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
    ]
