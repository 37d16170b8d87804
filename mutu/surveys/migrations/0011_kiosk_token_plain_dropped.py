"""Drop the plain kiosk tokens once their hashes are in place (0010); a migration of its own so
that PostgreSQL alters the table outside the transaction that updated its rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0010_kiosk_token_hash"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="kioskdevice",
            name="token",
        ),
        migrations.AlterField(
            model_name="kioskdevice",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
