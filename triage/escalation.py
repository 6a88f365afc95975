"""Escalation rules: which disposition a result gets, and why, written as data.

Pure Python with no Django imports, like triage.scoring (which evaluates the
rules). A rule is a row a content editor can read and edit: a disposition, a
``when`` block of conditions that must all hold, a plain sentence for the
patient saying why, and the source it comes from. Rules are published with
the rest of the ruleset, so a past submission keeps the rules it was scored
with.

Rules are tried most urgent disposition first (emergency, see a doctor today,
see a GP soon, book an assessment, self-care), then by their order; the first
whose conditions all hold decides. Sorting by urgency before order means a
less urgent rule can never shadow a more urgent one, whatever order an editor
gives it.

The ``when`` vocabulary (every key optional; all present keys must hold)::

    any_yes: [codes]             at least one of these answered yes
    all_yes: [codes]             every one of these answered yes
    any_kind_yes: [kinds]        any question of these kinds answered yes
                                 (e.g. "emergency": a new emergency question
                                 is covered without a new rule)
    no_symptom: true             no symptom question answered yes
    any_prompts_assessment: true an answer marked "reason to be assessed" is yes
    condition_suggested: bool    a condition is (true) / is not (false) suggested
    intensity_at_least: N        pain intensity given and N or more
    intensity_at_most: N         pain intensity given and N or less
    duration_in: [durations]     pain duration given and one of these
    age_at_least: N              age given and N or more
    not: {when}                  the nested conditions do not all hold

An empty ``when`` always holds (a fallback rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Dispositions, most urgent first (mirrors triage.models.Disposition).
EMERGENCY = "emergency"
SEE_DOCTOR_TODAY = "see_doctor_today"
SEE_GP_SOON = "see_gp_soon"
BOOK_ASSESSMENT = "book_assessment"
SELF_CARE = "self_care"
DISPOSITIONS = (EMERGENCY, SEE_DOCTOR_TODAY, SEE_GP_SOON, BOOK_ASSESSMENT, SELF_CARE)
URGENCY = {disposition: rank for rank, disposition in enumerate(DISPOSITIONS)}

# Rules at these dispositions act on red flags: publishing may make them more
# urgent or broader, never less urgent, narrower or gone (see rule_weakenings).
GUARDED_DISPOSITIONS = frozenset({EMERGENCY, SEE_DOCTOR_TODAY, SEE_GP_SOON})

CODE_LISTS = ("any_yes", "all_yes")
NUMBERS = {"intensity_at_least": (0, 10), "intensity_at_most": (0, 10), "age_at_least": (0, 130)}
FLAGS = ("no_symptom", "any_prompts_assessment")
KEYS = (*CODE_LISTS, "any_kind_yes", *FLAGS, "condition_suggested", *NUMBERS, "duration_in", "not")


@dataclass(frozen=True, slots=True)
class EscalationRule:
    code: str
    disposition: str
    when: Mapping[str, object]
    reason: str = ""
    source: str = ""
    order: int = 0


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules look at: the answers, and what scoring made of them."""

    yes: frozenset[str]
    kinds: Mapping[str, str]  # question code -> kind, for the questions answered yes
    prompts: frozenset[str]  # "reason to be assessed" codes answered yes
    intensity: int | None
    duration: str | None
    age: int | None
    condition_suggested: bool


def when_problems(
    when: object, *, codes: Mapping[str, str], kinds: tuple[str, ...], durations: tuple[str, ...]
) -> list[str]:
    """What is wrong with a ``when`` block; ``codes`` maps the ruleset's question codes to their kinds."""
    if not isinstance(when, Mapping):
        return ['conditions must be an object such as {"any_yes": ["fever_unwell"]}']
    problems = [f"unknown condition {key!r} (known: {', '.join(KEYS)})" for key in when if key not in KEYS]
    for key in CODE_LISTS:
        if key in when:
            value = when[key]
            if not isinstance(value, list) or not value or not all(isinstance(code, str) for code in value):
                problems.append(f"{key!r} must be a non-empty list of question codes")
            else:
                problems += [f"{key!r} names unknown question {code!r}" for code in value if code not in codes]
    if "any_kind_yes" in when:
        value = when["any_kind_yes"]
        if not isinstance(value, list) or not value or any(kind not in kinds for kind in value):
            problems.append(f"'any_kind_yes' must be a non-empty list of question kinds ({', '.join(kinds)})")
    for key in FLAGS:
        if key in when and when[key] is not True:
            problems.append(f"{key!r} can only be true (leave it out otherwise)")
    if "condition_suggested" in when and not isinstance(when["condition_suggested"], bool):
        problems.append("'condition_suggested' must be true or false")
    for key, (low, high) in NUMBERS.items():
        if key in when:
            value = when[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(f"{key!r} must be a whole number from {low} to {high}")
    if "duration_in" in when:
        value = when["duration_in"]
        if not isinstance(value, list) or not value or any(duration not in durations for duration in value):
            problems.append(f"'duration_in' must be a non-empty list of durations ({', '.join(durations)})")
    if "not" in when:
        nested = when["not"]
        if isinstance(nested, Mapping) and not nested:
            problems.append("'not' must hold at least one condition")
        problems += [f"in 'not': {p}" for p in when_problems(nested, codes=codes, kinds=kinds, durations=durations)]
    return problems


def when_triggers(when: Mapping[str, object], facts: Facts) -> tuple[str, ...] | None:
    """None when the conditions do not all hold; else what made them hold (codes), for the result's reasons."""
    triggers: list[str] = []
    yes = facts.yes
    if "any_yes" in when:
        hits = [code for code in when["any_yes"] if code in yes]
        if not hits:
            return None
        triggers += hits
    if "all_yes" in when:
        if not all(code in yes for code in when["all_yes"]):
            return None
        triggers += when["all_yes"]
    if "any_kind_yes" in when:
        hits = [code for code, kind in facts.kinds.items() if kind in when["any_kind_yes"]]
        if not hits:
            return None
        triggers += hits
    if when.get("no_symptom") and any(kind == "symptom" for kind in facts.kinds.values()):
        return None
    if when.get("any_prompts_assessment"):
        if not facts.prompts:
            return None
        triggers += sorted(facts.prompts, key=list(facts.kinds).index)
    if "condition_suggested" in when and when["condition_suggested"] != facts.condition_suggested:
        return None
    intensity = facts.intensity
    if "intensity_at_least" in when and (intensity is None or intensity < when["intensity_at_least"]):
        return None
    if "intensity_at_most" in when and (intensity is None or intensity > when["intensity_at_most"]):
        return None
    if "intensity_at_least" in when or "intensity_at_most" in when:
        triggers.append("pain_intensity")
    if "duration_in" in when:
        if facts.duration not in when["duration_in"]:
            return None
        triggers.append("pain_duration")
    if "age_at_least" in when:
        if facts.age is None or facts.age < when["age_at_least"]:
            return None
        triggers.append("age")
    if "not" in when and when_triggers(when["not"], facts) is not None:
        return None
    return tuple(dict.fromkeys(triggers))


def rules_in_order(rules: tuple[EscalationRule, ...]) -> tuple[EscalationRule, ...]:
    """The order rules are tried in: most urgent disposition first, then the rule's own order."""
    return tuple(sorted(rules, key=lambda rule: (URGENCY[rule.disposition], rule.order, rule.code)))


def rules_match(rules: tuple[EscalationRule, ...], facts: Facts) -> tuple[EscalationRule, tuple[str, ...]] | None:
    """The first rule (of ``rules``, already in order) whose conditions hold, with its triggers."""
    for rule in rules:
        triggers = when_triggers(rule.when, facts)
        if triggers is not None:
            return rule, triggers
    return None


def reason_text(rule: EscalationRule, facts: Facts) -> str:
    """The rule's sentence for the patient, with {intensity} and {age} filled in."""
    text = rule.reason
    if facts.intensity is not None:
        text = text.replace("{intensity}", str(facts.intensity))
    if facts.age is not None:
        text = text.replace("{age}", str(facts.age))
    return text


# --- The publishing guard ------------------------------------------------------------


def _is_broader_or_equal(draft: Mapping, published: Mapping) -> list[str]:
    """Why ``draft`` conditions hold for fewer answer sets than ``published`` (empty when at least as broad).

    Each condition narrows on its own (they are all "and"), so the draft is at
    least as broad when it keeps no condition the published rule lacks, and
    every condition it keeps is the same or looser.
    """
    problems = []
    for key in draft:
        if key not in published:
            problems.append(f"adds the condition {key!r}")
    for key, value in published.items():
        if key not in draft:
            continue  # dropping a condition only widens the rule
        new = draft[key]
        if key in ("any_yes", "any_kind_yes", "duration_in"):
            lost = [item for item in value if item not in new]
            if lost:
                problems.append(f"no longer matches {key} {', '.join(map(str, lost))}")
        elif key == "all_yes":
            added = [item for item in new if item not in value]
            if added:
                problems.append(f"now also requires {', '.join(added)}")
        elif key in ("intensity_at_least", "age_at_least"):
            if new > value:
                problems.append(f"raises {key} from {value} to {new}")
        elif key == "intensity_at_most":
            if new < value:
                problems.append(f"lowers {key} from {value} to {new}")
        elif new != value:
            problems.append(f"changes {key!r}")
    return problems


def rule_weakenings(*, published: tuple[EscalationRule, ...], draft: tuple[EscalationRule, ...]) -> list[str]:
    """Why publishing ``draft`` rules would make a red-flag rule less urgent (empty when it would not).

    Every published rule at emergency, see a doctor today or see a GP soon must
    still be there under its code, at the same or a more urgent disposition,
    with conditions that hold at least as often.
    """
    by_code = {rule.code: rule for rule in draft}
    problems = []
    for rule in published:
        if rule.disposition not in GUARDED_DISPOSITIONS:
            continue
        new = by_code.get(rule.code)
        if new is None:
            problems.append(f"escalation rule {rule.code!r} ({rule.disposition}) has been removed")
            continue
        if URGENCY[new.disposition] > URGENCY[rule.disposition]:
            problems.append(f"escalation rule {rule.code!r} would change from {rule.disposition} to {new.disposition}")
        narrower = _is_broader_or_equal(new.when, rule.when)
        if narrower:
            problems.append(f"escalation rule {rule.code!r} would apply to fewer people: {'; '.join(narrower)}")
    return problems
