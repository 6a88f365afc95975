"""Ask each area's follow-up questions only of people with pain there, and publish that as a new version.

The "where does it hurt" questions (outside of the hip, groin, down the leg,
lower back or buttock) stay always asked; the questions that follow up one
area are asked only when that area was answered yes. A question not asked is
stored as not asked (left out of the answers), never as "no".
"""

from django.db import migrations
from django.db.models import Max

# code -> the area questions whose "yes" asks it (any one is enough)
FOLLOW_UPS = {
    "pain_lying_on_side": ["outer_hip_tenderness"],
    "pain_walking_running_stairs": ["outer_hip_tenderness", "groin_pain"],
    "clicking_catching": ["groin_pain"],
    "pain_deep_flexion_twisting": ["groin_pain"],
    "tingling_numbness_burning": ["radiating_leg_pain"],
    "worse_prolonged_standing_walking": ["radiating_leg_pain", "low_back_buttock_pain"],
    "difficulty_bending_twisting_standing": ["low_back_buttock_pain"],
    "pelvic_instability": ["low_back_buttock_pain"],
}
NOTE = "Follow-up questions asked only for the areas that hurt"
QUESTION_FIELDS = (
    "code", "kind", "group", "text", "help_text", "summary", "advice", "prompts_assessment", "order", "enable_when",
)  # fmt: skip


def _snapshot(apps) -> dict:
    """The draft content in the published format (as triage.selectors.draft_content_get builds it)."""
    Question = apps.get_model("triage", "Question")
    Condition = apps.get_model("triage", "Condition")
    ConditionWeight = apps.get_model("triage", "ConditionWeight")
    weights = {}
    for condition_id, code, weight in ConditionWeight.objects.values_list(
        "condition_id", "question__code", "weight"
    ).order_by("question__order", "question__code"):
        weights.setdefault(condition_id, []).append([code, weight])
    return {
        "questions": list(Question.objects.order_by("order", "code").values(*QUESTION_FIELDS)),
        "conditions": [
            {**c, "threshold": str(c["threshold"]), "weights": weights.get(c["slug"], [])}
            for c in Condition.objects.order_by("order", "name").values(
                "slug", "name", "summary", "clinic_care", "threshold", "order"
            )
        ],
    }


def _publish(apps) -> None:
    RulesetVersion = apps.get_model("triage", "RulesetVersion")
    if not RulesetVersion.objects.exists():
        return  # nothing published yet: the first publish will carry these
    latest = RulesetVersion.objects.aggregate(latest=Max("number"))["latest"]
    RulesetVersion.objects.create(number=latest + 1, content=_snapshot(apps), note=NOTE)


def forwards(apps, schema_editor):
    Question = apps.get_model("triage", "Question")
    changed = 0
    for code, areas in FOLLOW_UPS.items():
        changed += Question.objects.filter(code=code, enable_when=[]).update(
            enable_when=[{"question": area, "answer": True} for area in areas]
        )
    if changed:
        _publish(apps)


def backwards(apps, schema_editor):
    RulesetVersion = apps.get_model("triage", "RulesetVersion")
    Question = apps.get_model("triage", "Question")
    Question.objects.filter(code__in=FOLLOW_UPS).update(enable_when=[])
    # A version already used by a submission stays (PROTECT); an unused one goes.
    RulesetVersion.objects.filter(note=NOTE, submissions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("triage", "0005_question_enable_when")]

    operations = [migrations.RunPython(forwards, backwards)]
