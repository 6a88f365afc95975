"""Publish ruleset version 2: graded urgency as escalation rules, new
questions (symptoms in both legs, how it started, where on the hip), a cancer
history moved from "see a doctor today" to the rules, and a "why we ask" for
every question.

It edits the draft content as an editor would in the admin, then publishes
it: the snapshot is built exactly as triage.selectors.draft_content_get
builds it (a test checks the two agree). Version 1 and the submissions scored
with it are left as they were.

Sources, cited on each rule: NHS advice on sciatica (both legs); the GIRFT
national suspected cauda equina pathway (2023); NICE NG59 (low back pain and
sciatica); the NZ Acute Low Back Pain Guide (ACC, 2004); the PEG scale
(Krebs et al., J Gen Intern Med 2009); the clinic's own "when to be assessed".
"""

import importlib

from django.db import migrations

SEED = importlib.import_module("triage.migrations.0002_seed_clinical_content")
NOTE = "Ruleset 2: graded urgency (escalation rules), both-legs red flag, PEG, age, accidents"

E, D, S, C = "emergency", "doctor_today", "symptom", "context"

# (order, code, kind, group, text, help text, summary of a yes, prompts an assessment, advice, why we ask)
NEW_QUESTIONS = [
    (
        3,
        "both_legs_symptoms",
        E,
        "safety",
        "Do you have pain, numbness or tingling in both legs that is new or getting worse?",
        "Both legs at the same time, not only one side.",
        "New or worsening pain, numbness or tingling in both legs",
        False,
        "",
        "Trouble in both legs at once can mean the nerves at the bottom of the spine are being squeezed. "
        "That needs a hospital check straight away.",
    ),
    (
        10,
        "accident_onset",
        C,
        "history",
        "Did this pain start with a particular accident or injury, such as lifting something, a twist or a fall?",
        "A moment you can point to when it began. A serious crash or fall is asked about above.",
        "The pain started with an accident or injury",
        False,
        "In New Zealand, ACC may help pay for treatment of an injury from an accident. A GP, physiotherapist "
        "or podiatrist can lodge the claim for you at your first visit: tell them how and when it happened.",
        "It does not change how soon you should be seen. It can change how your treatment is paid for, "
        "because ACC may cover injuries caused by accidents.",
    ),
    (
        11,
        "outer_hip_pain",
        S,
        "hip",
        "Do you have pain on the outside of your hip?",
        "At the side, where your hip is widest.",
        "Pain on the outside of the hip",
        False,
        "",
        "Pain at the side of the hip is where an irritated bursa (hip bursitis) usually hurts.",
    ),
]
# A location question: counts towards hip bursitis like the other telling signs.
NEW_WEIGHTS = [("hip-bursitis", "outer_hip_pain", 2)]
# The body diagram ticks only questions about where it hurts: the outer hip area now answers
# "pain on the outside of the hip", and the pressing test stays a question the person answers.
BODY_REGIONS = {"outer_hip_pain": "hip", "outer_hip_tenderness": ""}
BODY_REGIONS_BEFORE = {"outer_hip_tenderness": "hip"}

# The safety step asks red flags first, then context; symptoms follow by body area.
NEW_ORDER = {
    "saddle_numbness": 1,
    "bladder_bowel_change": 2,
    "both_legs_symptoms": 3,
    "progressive_leg_weakness": 4,
    "major_trauma": 5,
    "fever_unwell": 6,
    "unexplained_weight_loss": 7,
    "night_pain_unrelenting": 8,
    "cancer_history": 9,
    "accident_onset": 10,
    "outer_hip_pain": 11,
    "pain_lying_on_side": 12,
    "outer_hip_tenderness": 13,
    "pain_walking_running_stairs": 14,
    "groin_pain": 15,
    "clicking_catching": 16,
    "pain_deep_flexion_twisting": 17,
    "radiating_leg_pain": 18,
    "tingling_numbness_burning": 19,
    "worse_prolonged_standing_walking": 20,
    "low_back_buttock_pain": 21,
    "difficulty_bending_twisting_standing": 22,
    "pelvic_instability": 23,
}

WHY_WE_ASK = {
    "saddle_numbness": "Numbness in this area can mean the nerves at the bottom of the spine are being squeezed. "
    "That needs a hospital check straight away.",
    "bladder_bowel_change": "New bladder or bowel trouble with back pain can come from pressure on the nerves that "
    "control them, which needs urgent care.",
    "progressive_leg_weakness": "A leg getting weaker quickly can mean a nerve is badly squeezed. Treating it early "
    "protects the nerve.",
    "major_trauma": "After a serious fall or accident, a broken bone has to be ruled out first, usually with an x-ray.",
    "fever_unwell": "Pain with a fever or feeling very unwell can be a sign of infection, which a doctor should "
    "check today.",
    "cancer_history": "Back or hip pain in someone who has had cancer needs a doctor to rule out that the cancer has "
    "reached the bones. It is usually something else, but it is checked first.",
    "unexplained_weight_loss": "Losing weight without trying, together with pain, is something a doctor should "
    "look into before anything else.",
    "night_pain_unrelenting": "Pain that never eases, even lying still at night, is less like a strain and more "
    "like something a doctor should check.",
    "pain_lying_on_side": "Pain lying on the sore side is typical of an irritated bursa on the outer hip.",
    "outer_hip_tenderness": "A tender bony point on the outer hip is one of the signs of hip bursitis.",
    "pain_walking_running_stairs": "Pain with walking, running or stairs shows how load affects the hip, and is a "
    "reason the clinic suggests an assessment.",
    "groin_pain": "Pain at the front of the hip or in the groin points to the hip joint itself rather than the "
    "muscles around it.",
    "clicking_catching": "Clicking or catching can mean the rim of gristle around the hip socket is irritated.",
    "pain_deep_flexion_twisting": "Pain when the hip bends a long way or twists is typical of bones pinching in the "
    "hip joint.",
    "radiating_leg_pain": "Pain that travels down the leg suggests a nerve is irritated, and is a reason to be "
    "assessed.",
    "tingling_numbness_burning": "Tingling, numbness or burning are nerve feelings: they help tell nerve pain from "
    "joint pain.",
    "worse_prolonged_standing_walking": "Pain that builds the longer you stand or walk can come from a nerve or from "
    "the joints of the lower back.",
    "low_back_buttock_pain": "Where the pain sits helps tell the lower back and pelvis apart from the hip.",
    "difficulty_bending_twisting_standing": "Trouble bending, twisting or standing is common when the joint between "
    "the spine and pelvis is irritated.",
    "pelvic_instability": "A feeling that the pelvis might give way is one of the signs of a sacroiliac (SI) joint "
    "problem.",
    "flat_feet_pronation": "Flat feet or ankles that roll in can turn the leg and tip the pelvis, adding strain to "
    "the hip and back.",
    "high_arches": "Stiff, high arches absorb less shock, so more of each step reaches the hip and back.",
    "leg_length_difference": "Legs of different lengths tip the pelvis and load one side more than the other.",
    "uneven_shoe_wear": "How shoes wear shows how your feet meet the ground, which can add strain further up.",
    "hip_tightness": "Tight hips often go with the way the feet and pelvis move, and are a reason to be assessed.",
    "gluteal_weakness": "Weak buttock muscles let the pelvis drop as you walk, straining the hip and back.",
    "worse_with_running_training": "Pain that flares with training often means load is rising faster than the body "
    "can adapt.",
}

CANCER_FLAGS = ["fever_unwell", "unexplained_weight_loss", "night_pain_unrelenting"]
NO_PAIN = {"intensity_at_most": 0, "no_symptom": True}
SCALE = "the self-check's 0-10 pain question (PEG item 1; Krebs et al., J Gen Intern Med 2009)"

# (order, code, disposition, conditions, reason for the patient, source)
RULES = [
    (
        1,
        "both_legs",
        "emergency",
        {"any_yes": ["both_legs_symptoms"]},
        "Because you have new or worsening pain, numbness or tingling in both legs, which needs emergency care now.",
        "NHS: sciatica on both sides is an emergency; GIRFT national suspected cauda equina pathway (2023)",
    ),
    (
        2,
        "emergency_sign",
        "emergency",
        {"any_kind_yes": ["emergency"]},
        "Because you told us about a warning sign that needs emergency care now.",
        "GIRFT suspected cauda equina pathway (2023); NICE NG59 (exclude serious causes first); clinic brief red flags",
    ),
    (
        1,
        "cancer_with_red_flag",
        "see_doctor_today",
        {"all_yes": ["cancer_history"], "any_yes": CANCER_FLAGS},
        "Because you have had cancer and also told us about another warning sign, a doctor should check you today.",
        "NZ Acute Low Back Pain Guide (ACC, 2004): cancer history, weight loss, night pain, systemic illness; "
        "NICE NG59",
    ),
    (
        2,
        "cancer_age_50",
        "see_doctor_today",
        {"all_yes": ["cancer_history"], "age_at_least": 50},
        "Because you have had cancer and are 50 or over, a doctor should check this pain today.",
        "NZ Acute Low Back Pain Guide (ACC, 2004): age over 50 and a cancer history are red flags; NICE NG59",
    ),
    (
        3,
        "doctor_today_sign",
        "see_doctor_today",
        {"any_kind_yes": ["doctor_today"]},
        "Because you told us about a sign, such as a fever, weight loss or constant night pain, "
        "that a doctor should check today.",
        "NICE NG59 (exclude infection and cancer first); NZ Acute Low Back Pain Guide (ACC, 2004) red flags",
    ),
    (
        1,
        "cancer_alone",
        "see_gp_soon",
        {"any_yes": ["cancer_history"]},
        "Because you have had cancer, a GP should check this pain within a few days, before a podiatry assessment.",
        "NICE NG59 (exclude cancer first); NZ Acute Low Back Pain Guide (ACC, 2004): a cancer history is a red flag",
    ),
    (
        2,
        "severe_recent_leg_pain",
        "see_gp_soon",
        {"any_yes": ["radiating_leg_pain"], "intensity_at_least": 7, "duration_in": ["under_6_weeks"]},
        "Because the pain down your leg is {intensity} out of 10 and started in the last 6 weeks, a GP or "
        "physiotherapist should see you first; the podiatry assessment can follow.",
        "NICE NG59 (sciatica: pain relief and a nerve check first); clinic brief on severe acute nerve pain",
    ),
    (
        3,
        "severe_pain_no_pattern",
        "see_gp_soon",
        {"intensity_at_least": 8, "condition_suggested": False},
        "Because your pain is {intensity} out of 10 and your answers do not point to one clear cause, "
        "a GP or physiotherapist should check it within a few days.",
        f"Severe pain (8-10) is never self-care: clinic brief; {SCALE}",
    ),
    (
        1,
        "severe_pain",
        "book_assessment",
        {"intensity_at_least": 8},
        "Because your pain is {intensity} out of 10, it is worth having it assessed rather than waiting for it "
        "to settle.",
        f"Severe pain (8-10) is never self-care: clinic brief; {SCALE}",
    ),
    (
        2,
        "condition_suggested",
        "book_assessment",
        {"condition_suggested": True},
        "Because your answers may be consistent with a problem the clinic assesses and treats.",
        "Foot Foundation: the conditions it assesses (hip bursitis, hip impingement, sciatica, SI joint)",
    ),
    (
        3,
        "assessment_answer",
        "book_assessment",
        {"any_prompts_assessment": True, "not": NO_PAIN},
        "Because you told us about something the clinic suggests having checked at an assessment.",
        "Foot Foundation: when to be assessed",
    ),
    (
        4,
        "pain_duration",
        "book_assessment",
        {"duration_in": ["6_to_12_weeks", "over_12_weeks"], "not": NO_PAIN},
        "Because your pain has lasted 6 weeks or more.",
        "Foot Foundation: when to be assessed (persistent pain)",
    ),
    (
        1,
        "no_pain",
        "self_care",
        NO_PAIN,
        "Because you have no pain now and none of the symptoms we asked about, there is nothing to assess yet; "
        "an assessment would help if pain starts, or if the signs in your feet start to bother you.",
        "Clinic brief: no pain is not a reason to book, whatever the feet look like",
    ),
    (
        2,
        "nothing_urgent",
        "self_care",
        {},
        "Because your answers do not point to anything that needs an assessment now.",
        "Foot Foundation: when to be assessed (none of it reported)",
    ),
]

QUESTION_FIELDS = [
    "code",
    "kind",
    "group",
    "text",
    "help_text",
    "summary",
    "advice",
    "prompts_assessment",
    "order",
    "body_region",
    "why_we_ask",
]


def snapshot(apps) -> dict:
    """The draft content in the published format: what selectors.draft_content_get returns."""
    Question = apps.get_model("triage", "Question")
    Condition = apps.get_model("triage", "Condition")
    ConditionWeight = apps.get_model("triage", "ConditionWeight")
    EscalationRule = apps.get_model("triage", "EscalationRule")
    weights = {}
    for condition_id, code, weight in ConditionWeight.objects.values_list(
        "condition_id", "question__code", "weight"
    ).order_by("question__order", "question__code"):
        weights.setdefault(condition_id, []).append([code, weight])
    return {
        "questions": list(Question.objects.order_by("order", "code").values(*QUESTION_FIELDS)),
        "conditions": [
            {
                "slug": c["slug"],
                "name": c["name"],
                "summary": c["summary"],
                "clinic_care": c["clinic_care"],
                "threshold": str(c["threshold"]),
                "order": c["order"],
                "weights": weights.get(c["slug"], []),
            }
            for c in Condition.objects.order_by("order", "name").values(
                "slug", "name", "summary", "clinic_care", "threshold", "order"
            )
        ],
        "escalation_rules": list(
            EscalationRule.objects.order_by("order", "code").values(
                "order", "code", "disposition", "conditions", "reason", "source"
            )
        ),
    }


def publish_second_ruleset(apps, schema_editor):
    Question = apps.get_model("triage", "Question")
    Condition = apps.get_model("triage", "Condition")
    ConditionWeight = apps.get_model("triage", "ConditionWeight")
    EscalationRule = apps.get_model("triage", "EscalationRule")
    RulesetVersion = apps.get_model("triage", "RulesetVersion")
    if not Question.objects.filter(code="cancer_history").exists():
        return  # no seeded content to build on (the seed migration was undone by hand)

    for order, code, kind, group, text, help_text, summary, prompts, advice, why in NEW_QUESTIONS:
        Question.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "group": group,
                "text": text,
                "help_text": help_text,
                "summary": summary,
                "prompts_assessment": prompts,
                "advice": advice,
                "order": order,
                "why_we_ask": why,
            },
        )
    Question.objects.filter(code="cancer_history").update(kind=C, group="history")
    for code, order in NEW_ORDER.items():
        Question.objects.filter(code=code).update(order=order)
    for code, region in BODY_REGIONS.items():
        Question.objects.filter(code=code).update(body_region=region)
    for code, why in WHY_WE_ASK.items():
        Question.objects.filter(code=code, why_we_ask="").update(why_we_ask=why)
    for slug, code, weight in NEW_WEIGHTS:
        if Condition.objects.filter(slug=slug).exists():
            ConditionWeight.objects.update_or_create(
                condition_id=slug, question=Question.objects.get(code=code), defaults={"weight": weight}
            )
    for order, code, disposition, conditions, reason, source in RULES:
        EscalationRule.objects.update_or_create(
            code=code,
            defaults={
                "order": order,
                "disposition": disposition,
                "conditions": conditions,
                "reason": reason,
                "source": source,
            },
        )
    latest = RulesetVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
    RulesetVersion.objects.create(number=latest + 1, note=NOTE, content=snapshot(apps))


def unpublish_second_ruleset(apps, schema_editor):
    Question = apps.get_model("triage", "Question")
    # Refused (PROTECT) once a submission was scored with it: those results must stay traceable.
    apps.get_model("triage", "RulesetVersion").objects.filter(note=NOTE).delete()
    apps.get_model("triage", "EscalationRule").objects.filter(code__in=[rule[1] for rule in RULES]).delete()
    Question.objects.filter(code__in=[question[1] for question in NEW_QUESTIONS]).delete()
    for order, code, kind, group, *_rest in SEED.QUESTIONS:
        Question.objects.filter(code=code).update(order=order, kind=kind, group=group)
    Question.objects.filter(code__in=list(WHY_WE_ASK)).update(why_we_ask="")
    for code, region in BODY_REGIONS_BEFORE.items():
        Question.objects.filter(code=code).update(body_region=region)


class Migration(migrations.Migration):
    dependencies = [("triage", "0007_second_ruleset_fields"), ("triage", "0005_question_body_region")]

    operations = [migrations.RunPython(publish_second_ruleset, unpublish_second_ruleset)]
