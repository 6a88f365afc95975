# The call list's count of rows that need action, read from one index (issue 13).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0013_questionnaire_field_texts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["status", "clinic", "id"], name="submission_status_clinic"),
        ),
    ]
