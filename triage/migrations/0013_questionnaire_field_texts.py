"""The questionnaire's own fields (age, how long, the PEG scales, the clinic) get their words as content.

Seeds one draft row per field with the words the forms carried and a first
"why we ask" (triage.field_texts.built_in, the same words the published
versions 1 and 2 read, so the draft starts equal to what patients see).
Nothing is published here: an editor publishes the next version when ready.
"""

from django.db import migrations, models


def seed_field_texts(apps, schema_editor):
    from triage.field_texts import built_in

    QuestionnaireField = apps.get_model("triage", "QuestionnaireField")
    QuestionnaireField.objects.bulk_create(
        QuestionnaireField(code=t.code, label=t.label, help_text=t.help_text, why_we_ask=t.why_we_ask, order=order)
        for order, t in enumerate(built_in().values())
    )


def unseed_field_texts(apps, schema_editor):
    apps.get_model("triage", "QuestionnaireField").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0012_followup_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionnaireField",
            fields=[
                (
                    "code",
                    models.SlugField(
                        help_text="The field these words are for; do not change.",
                        primary_key=True,
                        serialize=False,
                        verbose_name="field",
                    ),
                ),
                (
                    "label",
                    models.CharField(help_text="As the patient reads it.", max_length=200, verbose_name="question"),
                ),
                (
                    "help_text",
                    models.CharField(
                        blank=True,
                        help_text="A short line under the question.",
                        max_length=300,
                        verbose_name="help text",
                    ),
                ),
                (
                    "why_we_ask",
                    models.TextField(
                        help_text="One or two plain sentences on why the answer matters; shown when the person asks.",
                        verbose_name="why we ask",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="order")),
            ],
            options={
                "verbose_name": "questionnaire field",
                "verbose_name_plural": "questionnaire fields",
                "ordering": ["order"],
            },
        ),
        migrations.RunPython(seed_field_texts, unseed_field_texts),
    ]
