from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0013_review_request_flag_words"),
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
