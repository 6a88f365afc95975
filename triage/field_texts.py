"""The wording of the questionnaire's own fields (age, how long, the three PEG scales, the clinic).

The yes/no questions are Question rows; these fields are built into the
forms (their answers are typed columns of a Submission), but their words are
content like the rest: the question as the patient reads it, the hint under
it and a "why we ask" shown on demand. Editors change them in the draft
(QuestionnaireField rows) and publishing freezes them into the ruleset
snapshot under "fields", so a past result keeps the words it was asked with.

Snapshots published before these texts were content (versions 1 and 2) have
no "fields": they read BUILT_IN, the words the forms carried then, with the
"why we ask" first seeded in migration 0013. Those words are frozen: a test
pins them, because changing one would change what past results say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .forms import AboutYouForm, ActivityForm, ContactForm, DurationForm, EnjoymentForm, IntensityForm

AGE, PAIN_DURATION, PAIN_INTENSITY, ENJOYMENT, ACTIVITY, CLINIC = (
    "age",
    "pain_duration",
    "pain_intensity",
    "enjoyment_interference",
    "activity_interference",
    "clinic",
)
# Every field the questionnaire asks besides the yes/no questions, in the order asked: the form it is on.
FORMS = {
    AGE: AboutYouForm,
    PAIN_DURATION: DurationForm,
    PAIN_INTENSITY: IntensityForm,
    ENJOYMENT: EnjoymentForm,
    ACTIVITY: ActivityForm,
    CLINIC: ContactForm,
}
CODES = tuple(FORMS)
# Fields asked with no "why we ask" of their own: the contact details, whose purpose the consent box
# beside them and the collection notice state (asked only with consent, used only to contact the person),
# and the check-in opt-in, whose own words say what it is for.
NOT_TEXTS = frozenset({"contact_consent", "contact_name", "contact_email", "contact_phone", "followup_consent"})

BUILT_IN_WHY = {
    AGE: _(
        "Some causes of back and hip pain are more common at certain ages. With a few other answers, "
        "your age can mean a doctor should check you first. You can leave it empty."
    ),
    PAIN_DURATION: _(
        "Pain that has lasted several weeks is less likely to settle on its own. How long you have had it "
        "helps us suggest whether to look after it at home for now or to have it checked."
    ),
    PAIN_INTENSITY: _(
        "How bad the pain is helps decide how soon you should be seen. We never suggest simply looking "
        "after very bad pain at home."
    ),
    ENJOYMENT: _(
        "Pain affects more than your body. This answer, with the ones about how bad the pain is and your "
        "everyday activities, makes a short pain score the clinic can use to see if treatment helps."
    ),
    ACTIVITY: _(
        "How much the pain stops you doing everyday things shows its real effect on your life. Asked again "
        "later, it shows whether things are getting better."
    ),
    CLINIC: _(
        "So the clinic that suits you sees your answers if you ask to be contacted or book. "
        "You can leave it as no preference."
    ),
}


@dataclass(frozen=True)
class FieldText:
    code: str
    label: str
    help_text: str = ""
    why_we_ask: str = ""


FieldTexts = Mapping[str, FieldText]


def built_in() -> dict[str, FieldText]:
    """The words the forms carry (what snapshots without "fields" show), each with its first "why we ask"."""
    texts = {}
    for code, form_class in FORMS.items():
        field = form_class.base_fields[code]
        texts[code] = FieldText(code, str(field.label), str(field.help_text or ""), str(BUILT_IN_WHY[code]))
    return texts


def field_texts_from_content(content: Mapping) -> dict[str, FieldText]:
    """A snapshot's field texts by code; a code the snapshot lacks reads its built-in words."""
    texts = built_in()
    for item in content.get("fields", ()):
        if item["code"] in texts:
            texts[item["code"]] = FieldText(item["code"], item["label"], item["help_text"], item["why_we_ask"])
    return texts
