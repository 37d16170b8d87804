from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0012_response_client_id_unique_per_link"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="paper_number",
            field=models.CharField(blank=True, max_length=20, verbose_name="nomor kuesioner"),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("paper_number", ""), _negated=True),
                fields=("period", "unit", "paper_number"),
                name="response_paper_number_once",
            ),
        ),
    ]
