"""Seed the clinical content: questions, the four conditions and their
weights, the six clinics, and publish it as ruleset version 1.

Patient-facing wording is written for a reading age of about 12. Clinics'
addresses, phone numbers and hours are not known yet: they are left empty for
the clinic to fill in the admin, and the site says how to book without them.
"""

from django.db import migrations

E, D, S, F = "emergency", "doctor_today", "symptom", "driver"

# (order, code, kind, group, text, help text, summary of a yes, prompts an assessment, advice)
QUESTIONS = [
    (
        1,
        "saddle_numbness",
        E,
        "safety",
        "Is there new numbness or an odd, dull feeling between your legs, around your bottom or on your inner thighs?",
        "This is the area that would touch a bike seat.",
        "Numbness between the legs or around the bottom",
        False,
        "",
    ),
    (
        2,
        "bladder_bowel_change",
        E,
        "safety",
        "Have you recently had new trouble peeing, or trouble controlling your bladder or bowels?",
        "For example, not being able to pee, or leaking when you did not mean to.",
        "New trouble with bladder or bowel control",
        False,
        "",
    ),
    (
        3,
        "progressive_leg_weakness",
        E,
        "safety",
        "Is one or both of your legs getting weaker quickly?",
        "For example, your foot slapping down as you walk, or your leg giving way more each day.",
        "Leg weakness that is getting worse quickly",
        False,
        "",
    ),
    (
        4,
        "major_trauma",
        E,
        "safety",
        "Did the pain start after a bad fall, a crash or another serious accident, or can you not stand on the leg at all?",
        "",
        "Pain after a serious fall or accident, or not able to stand on the leg",
        False,
        "",
    ),
    (
        5,
        "fever_unwell",
        D,
        "safety",
        "Do you have a fever, or feel very unwell, as well as the pain?",
        "For example, hot and shivery, or much sicker than the pain alone would explain.",
        "Fever or feeling very unwell",
        False,
        "",
    ),
    (
        6,
        "cancer_history",
        D,
        "safety",
        "Have you ever had cancer?",
        "Answer yes even if it was treated a long time ago.",
        "Cancer in the past",
        False,
        "",
    ),
    (
        7,
        "unexplained_weight_loss",
        D,
        "safety",
        "Have you lost weight lately without trying to?",
        "",
        "Weight loss without trying",
        False,
        "",
    ),
    (
        8,
        "night_pain_unrelenting",
        D,
        "safety",
        "Is the pain there all night, and no better when you rest or change position?",
        "",
        "Constant pain at night that rest does not ease",
        False,
        "",
    ),
    (
        10,
        "pain_lying_on_side",
        S,
        "hip",
        "Does it hurt to lie on the sore side?",
        "For example, it wakes you when you roll onto that hip.",
        "Pain when lying on the sore side",
        False,
        "",
    ),
    (
        11,
        "outer_hip_tenderness",
        S,
        "hip",
        "Is the bony point on the outside of your hip sore when you press on it?",
        "",
        "Soreness when pressing on the outside of the hip",
        False,
        "",
    ),
    (
        12,
        "pain_walking_running_stairs",
        S,
        "hip",
        "Does walking, running or going up stairs bring on the pain?",
        "",
        "Pain with walking, running or stairs",
        True,
        "",
    ),
    (
        13,
        "groin_pain",
        S,
        "groin",
        "Do you have pain in your groin or in the crease at the front of your hip?",
        "The crease is the fold where the top of your leg meets your body.",
        "Pain in the groin or the front of the hip",
        False,
        "",
    ),
    (
        14,
        "clicking_catching",
        S,
        "groin",
        "Does your hip click, catch or lock when you move it?",
        "",
        "Clicking, catching or locking in the hip",
        False,
        "",
    ),
    (
        15,
        "pain_deep_flexion_twisting",
        S,
        "groin",
        "Does it hurt to bend your hip up a long way or to twist it?",
        "For example, squatting, putting on socks, getting out of a low car or turning on the spot.",
        "Pain when bending the hip a long way or twisting",
        False,
        "",
    ),
    (
        16,
        "radiating_leg_pain",
        S,
        "leg",
        "Does pain travel from your back or bottom down your leg?",
        "It may reach the back of your thigh, your calf or your foot.",
        "Pain that travels down the leg",
        True,
        "",
    ),
    (
        17,
        "tingling_numbness_burning",
        S,
        "leg",
        "Do you get tingling, pins and needles, numbness or burning in your leg or foot?",
        "",
        "Tingling, numbness or burning in the leg or foot",
        False,
        "",
    ),
    (
        18,
        "worse_prolonged_standing_walking",
        S,
        "leg",
        "Does the pain get worse the longer you stand or walk?",
        "",
        "Pain that builds the longer you stand or walk",
        True,
        "",
    ),
    (
        19,
        "low_back_buttock_pain",
        S,
        "back",
        "Do you have pain across your lower back or in your buttock?",
        "",
        "Pain in the lower back or buttock",
        False,
        "",
    ),
    (
        20,
        "difficulty_bending_twisting_standing",
        S,
        "back",
        "Is it hard to bend, twist or stand for a long time because of your back?",
        "",
        "Trouble bending, twisting or standing for long",
        False,
        "",
    ),
    (
        21,
        "pelvic_instability",
        S,
        "back",
        "Does your pelvis feel unsteady, as if it might shift or give way?",
        "Your pelvis is the ring of bone that joins your spine to your legs.",
        "A feeling that the pelvis is unsteady",
        False,
        "",
    ),
    (
        30,
        "flat_feet_pronation",
        F,
        "feet",
        "Are your feet flat, or do your arches drop and your ankles roll in when you stand or walk?",
        "Ankles rolling in too far is called over-pronation.",
        "Flat feet or ankles that roll in",
        True,
        "When the arch drops, the leg turns in and the pelvis can tip, which strains the hip and lower back. "
        "A gait assessment shows how much this happens; custom orthotics and supportive shoes can hold the foot steadier.",
    ),
    (
        31,
        "high_arches",
        F,
        "feet",
        "Do you have high, stiff arches?",
        "A high arch that stays high when you stand up.",
        "High, stiff arches",
        True,
        "Stiff, high-arched feet soak up less shock, so more of each step's jolt reaches the hip, pelvis and lower back. "
        "Cushioned shoes and orthotics that spread the load can help.",
    ),
    (
        32,
        "leg_length_difference",
        F,
        "feet",
        "Has anyone told you one leg is longer than the other, or do you walk unevenly?",
        "",
        "One leg longer than the other, or an uneven walk",
        True,
        "A difference in leg length tips the pelvis and puts more load on one side. "
        "It can be measured at an assessment and is often evened out with a heel raise or orthotic.",
    ),
    (
        33,
        "uneven_shoe_wear",
        F,
        "feet",
        "Do your shoes wear down unevenly, or much more on one side?",
        "Have a look at the heels and soles of a pair you wear a lot.",
        "Shoes that wear unevenly",
        True,
        "How your shoes wear shows how your feet meet the ground. Bring a worn pair to your assessment: "
        "the podiatrist can learn a lot from it.",
    ),
    (
        34,
        "hip_tightness",
        F,
        "movement",
        "Do your hips often feel tight or stiff?",
        "",
        "Hips that often feel tight",
        True,
        "Tight hips often go with the way the feet and pelvis move. "
        "Stretching and mobility work, guided by a physiotherapist, can loosen them.",
    ),
    (
        35,
        "gluteal_weakness",
        F,
        "movement",
        "Do your buttock muscles feel weak, or does one hip drop when you walk?",
        "Your buttock muscles (glutes) keep your pelvis level when you stand on one leg.",
        "Weak buttock muscles or a hip that drops",
        True,
        "Stronger buttock muscles hold the pelvis level and take strain off the hip and back. "
        "The clinic's physiotherapists can set you a strengthening programme.",
    ),
    (
        36,
        "worse_with_running_training",
        F,
        "movement",
        "Does the pain get worse with running, sport or training?",
        "",
        "Pain that gets worse with running or training",
        True,
        "Pain that flares with training often means the load is going up faster than your body can adjust. "
        "Changes to your training plan, technique and shoes can help.",
    ),
]

# (order, slug, name, summary, what the clinic does, {code: weight})
CONDITIONS = [
    (
        1,
        "hip-bursitis",
        "Hip bursitis",
        "A bursa is a small cushion of fluid on the outside of the hip. When it is irritated (bursitis), "
        "the outer hip gets sore, often when you lie on it, walk or climb stairs. Flat feet can make the hip drop "
        "and turn in, which adds to the strain.",
        "A gait and biomechanical assessment checks how your feet, knees and hips line up as you walk. "
        "Care may include orthotics, advice on shoes, exercises to strengthen the buttock muscles, and shockwave "
        "therapy when the pain is slow to settle.",
        {
            "pain_lying_on_side": 3,
            "pain_walking_running_stairs": 2,
            "outer_hip_tenderness": 3,
            "flat_feet_pronation": 1,
            "leg_length_difference": 1,
            "uneven_shoe_wear": 1,
            "hip_tightness": 1,
            "gluteal_weakness": 1,
            "worse_with_running_training": 1,
        },
    ),
    (
        2,
        "hip-impingement",
        "Hip impingement and labral problems",
        "In hip impingement the bones of the hip joint pinch against each other when the hip bends or turns. "
        "The labrum, a rim of gristle around the hip socket, can become irritated too. It often shows up as "
        "groin pain, clicking or catching.",
        "An assessment looks at how the way your feet sit, your legs turn and your pelvis lines up adds load to "
        "the hip. Care may include orthotics, changes to how you walk or run, and physiotherapy for hip strength "
        "and control.",
        {
            "groin_pain": 3,
            "clicking_catching": 3,
            "pain_deep_flexion_twisting": 3,
            "flat_feet_pronation": 1,
            "high_arches": 1,
            "hip_tightness": 1,
            "worse_with_running_training": 1,
        },
    ),
    (
        3,
        "sciatica",
        "Sciatica and nerve-related pain",
        "The sciatic nerve runs from the lower back down the back of each leg. When it is irritated or pressed on, "
        "usually near the spine or pelvis, pain, tingling or numbness can spread down the leg. The way your feet "
        "work can add tension along the nerve.",
        "An assessment looks at your posture, the way you walk and your feet. Care may include orthotics and shoe "
        "changes to ease the load, and physiotherapy for core strength and movement. If you need a doctor or a "
        "scan, the clinic will tell you.",
        {
            "radiating_leg_pain": 3,
            "tingling_numbness_burning": 3,
            "worse_prolonged_standing_walking": 2,
            "low_back_buttock_pain": 1,
            "flat_feet_pronation": 1,
            "high_arches": 1,
        },
    ),
    (
        4,
        "si-joint",
        "SI joint problems and lower back pain",
        "The sacroiliac (SI) joints link the bottom of your spine to your pelvis. When one is irritated you may "
        "feel pain across the lower back or buttock, and find bending, twisting or standing for long hard. "
        "A difference in leg length or ankles that roll in can strain these joints.",
        "An assessment checks your leg lengths, the way your feet sit and how your pelvis moves when you walk. "
        "Care may include a heel raise or orthotics, strengthening for your core and buttock muscles, and advice "
        "on posture and how much load to take on.",
        {
            "low_back_buttock_pain": 3,
            "difficulty_bending_twisting_standing": 3,
            "pelvic_instability": 3,
            "worse_prolonged_standing_walking": 1,
            "flat_feet_pronation": 1,
            "high_arches": 1,
            "leg_length_difference": 2,
            "uneven_shoe_wear": 1,
            "gluteal_weakness": 1,
        },
    ),
]

# (order, slug, name, region)
CLINICS = [
    (1, "pinehill", "Pinehill", "Auckland"),
    (2, "takapuna", "Takapuna", "Auckland"),
    (3, "remuera", "Remuera", "Auckland"),
    (4, "botany", "Botany", "Auckland"),
    (5, "hamilton", "Hamilton", "Waikato"),
    (6, "tauranga", "Tauranga", "Bay of Plenty"),
]


def seed(apps, schema_editor):
    Question = apps.get_model("triage", "Question")
    Condition = apps.get_model("triage", "Condition")
    ConditionWeight = apps.get_model("triage", "ConditionWeight")
    Clinic = apps.get_model("triage", "Clinic")
    RulesetVersion = apps.get_model("triage", "RulesetVersion")

    questions, snapshot_questions = {}, []
    for order, code, kind, group, text, help_text, summary, prompts, advice in QUESTIONS:
        fields = {
            "code": code,
            "kind": kind,
            "group": group,
            "text": text,
            "help_text": help_text,
            "summary": summary,
            "advice": advice,
            "prompts_assessment": prompts,
            "order": order,
        }
        questions[code] = Question.objects.create(**fields)
        snapshot_questions.append(fields)
    snapshot_conditions = []
    for order, slug, name, summary, clinic_care, weights in CONDITIONS:
        condition = Condition.objects.create(
            slug=slug, name=name, summary=summary, clinic_care=clinic_care, threshold="0.40", order=order
        )
        # In the order patients are asked, as the admin (and so a republished draft) lists them.
        ordered = sorted(weights.items(), key=lambda item: questions[item[0]].order)
        ConditionWeight.objects.bulk_create(
            ConditionWeight(condition=condition, question=questions[code], weight=weight) for code, weight in ordered
        )
        snapshot_conditions.append(
            {
                "slug": slug,
                "name": name,
                "summary": summary,
                "clinic_care": clinic_care,
                "threshold": "0.40",
                "order": order,
                "weights": [[code, weight] for code, weight in ordered],
            }
        )
    Clinic.objects.bulk_create(
        Clinic(slug=slug, name=name, region=region, order=order) for order, slug, name, region in CLINICS
    )
    RulesetVersion.objects.create(
        number=1,
        note="Initial clinical content",
        content={"questions": snapshot_questions, "conditions": snapshot_conditions},
    )


def unseed(apps, schema_editor):
    apps.get_model("triage", "RulesetVersion").objects.filter(number=1).delete()
    apps.get_model("triage", "Clinic").objects.filter(slug__in=[c[1] for c in CLINICS]).delete()
    apps.get_model("triage", "Condition").objects.filter(slug__in=[c[1] for c in CONDITIONS]).delete()
    apps.get_model("triage", "Question").objects.filter(code__in=[q[1] for q in QUESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
