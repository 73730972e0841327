"""Judgement narratives for the demo, written as a practice educator writes them: what the
student did in this domain, the evidence it rests on by name and date, and what comes next.
Each is put together per student and per domain, so no two read alike.
Used by seed_demo; not a command of its own."""

import random
from collections.abc import Sequence

# What a student shows in each domain (PCF codes, then CSWE competencies). {name} is the
# student's first name.
SHOWN = {
    "PROF": [
        "{name} manages a caseload reliably, keeps records up to date and uses supervision to "
        "plan rather than to report.",
        "{name} is punctual, prepared and clear about the limits of the student role, and "
        "asks for help at the right time.",
    ],
    "VALUES": [
        "{name} explains consent and confidentiality plainly and checks they have been "
        "understood, rather than assuming it.",
        "{name} names ethical tensions openly, for instance between a person's wishes and the "
        "team's worry about risk, and brings them to supervision.",
    ],
    "DIVERSITY": [
        "{name} adapts communication to age, language and disability, and notices whose "
        "voice is missing in a meeting.",
        "{name} reflects on power and difference, including how the student's own identity "
        "is seen by the families worked with.",
    ],
    "RIGHTS": [
        "{name} helps people claim what they are entitled to, from benefits to advocacy, and "
        "explains their rights in plain words.",
        "{name} keeps the person's own rights in view when others in the room are focused on "
        "managing risk.",
    ],
    "KNOWLEDGE": [
        "{name} uses the law and guidance that frame the team's work accurately and can say "
        "why a duty applies.",
        "{name} brings research into practice and is honest about what it cannot tell us.",
    ],
    "REFLECTION": [
        "{name}'s reflections question assumptions rather than only describing events, and "
        "lead to a change in practice that I have seen.",
        "{name} analyses mistakes without defensiveness and links them to theory.",
    ],
    "SKILLS": [
        "{name} plans visits with purpose, listens well and uses silence and summarising to "
        "keep the person at the centre.",
        "{name} leads assessments from first contact to plan and adjusts the approach when "
        "the situation changes.",
    ],
    "CONTEXTS": [
        "{name} works confidently with other agencies and follows the team's procedures "
        "while understanding the reasons for them.",
        "{name} understands how the organisation's pressures shape decisions and raises "
        "concerns through the right routes.",
    ],
    "LEADERSHIP": [
        "{name} has shared learning with the team and chaired a meeting with preparation and calm.",
        "{name} takes initiative, for example in briefing colleagues on a published review.",
    ],
    "C1": [
        "{name} behaves ethically and professionally, uses supervision well and manages "
        "personal reactions.",
        "{name} is reliable, prepared and clear about professional boundaries.",
    ],
    "C2": [
        "{name} advocates for clients' rights and connects individual problems to wider injustice.",
        "{name} helps clients access benefits and services they are entitled to.",
    ],
    "C3": [
        "{name} reflects on identity, privilege and racism, and adapts practice accordingly.",
        "{name} notices inequity in the agency's processes and names it respectfully.",
    ],
    "C4": [
        "{name} uses research to inform practice and evaluates its fit with this population.",
        "{name} brings evidence to case discussions and explains its limits.",
    ],
    "C5": [
        "{name} understands how policy shapes services and has analysed one policy's effect "
        "on clients.",
        "{name} relates agency policy to clients' experience.",
    ],
    "C6": [
        "{name} engages clients warmly, with clear explanations of role and purpose.",
        "{name} builds rapport quickly and respects clients' pace.",
    ],
    "C7": [
        "{name} completes thorough assessments that include strengths as well as needs.",
        "{name} gathers information from several sources and weighs it carefully.",
    ],
    "C8": [
        "{name} plans interventions with clients and follows them through.",
        "{name} works well with other professionals on agreed plans.",
    ],
    "C9": [
        "{name} checks whether interventions are working and adjusts them.",
        "{name} asks clients for feedback and uses it.",
    ],
}
# What comes next in the domain, whatever the grade.
NEXT = {
    "PROF": "Next: keep recording within 48 hours as the caseload grows.",
    "VALUES": "Next: write down the reasoning when values conflict, not only the decision.",
    "DIVERSITY": "Next: bring the analysis of difference into written assessments as well.",
    "RIGHTS": "Next: be more assertive in challenging a decision that limits someone's rights.",
    "KNOWLEDGE": "Next: cite the specific duty in recording, not only in discussion.",
    "REFLECTION": "Next: keep reflections shorter and make the analysis the longest part.",
    "SKILLS": "Next: summarise earlier in a visit so the person can correct the record.",
    "CONTEXTS": "Next: take more of the lead in multi-agency meetings.",
    "LEADERSHIP": "Next: find one more chance to lead, such as chairing a review.",
}
NEXT_US = "Next: take more independence in this competency with less prompting."


def _evidence_sentence(name: str, cited: Sequence, rng: random.Random) -> str:
    if not cited:
        return f"There is little evidence mapped here yet; {name} and I have planned how to add it."
    first = cited[0]
    said = f"“{first.title}” ({first.practice_date:%-d %B})"
    if len(cited) > 1:
        second = cited[1]
        said += f" and “{second.title}” ({second.practice_date:%-d %B})"
    return rng.choice(
        [
            f"This is clearest in {said}.",
            f"The evidence I rely on most is {said}.",
            f"See in particular {said}.",
        ]
    )


def narrative(
    *,
    code: str,
    name: str,
    value: int,
    pass_value: int,
    midpoint: bool,
    cited: Sequence,
    rng: random.Random,
) -> str:
    """A narrative for one domain: grade-fitting opening, what was shown, the evidence by title
    and date, and what comes next."""
    if value < pass_value:
        opening = rng.choice(
            [
                f"{name} is developing here but the evidence does not yet show the level expected.",
                f"I have seen {name} understand this in discussion more than in practice so far.",
            ]
        )
    elif value > pass_value:
        opening = rng.choice(
            [
                f"{name} is consistently working beyond what is expected at this stage.",
                f"This is a real strength of {name}'s practice.",
            ]
        )
    elif midpoint:
        opening = rng.choice(
            [
                f"At the midpoint {name} is on track in this domain.",
                f"{name} has made a sound start here and is on track.",
                f"Halfway through, {name} is where I would expect.",
            ]
        )
    else:
        opening = rng.choice(
            [
                f"{name} meets the level expected in this domain.",
                f"Across the placement {name} has shown this at the expected level.",
                f"{name}'s practice here is at the level expected, and steadily so.",
            ]
        )
    shown = rng.choice(SHOWN.get(code, SHOWN["C1"])).format(name=name)
    if value < pass_value:  # what the educator is looking for, not yet seen
        shown = f"What I want to see more of is practice like this: {shown}"
    following = NEXT.get(code, NEXT_US)
    return " ".join([opening, shown, _evidence_sentence(name, cited, rng), following])


def grades_for(
    values: Sequence[int], pass_value: int, codes: Sequence[str], *, midpoint: bool, rng
) -> dict[str, int]:
    """A grade value per domain that fits the stage: at the midpoint nearly all on track
    (the pass value), one domain sometimes emerging; at the end a strong student may exceed
    in one or two."""
    grades = dict.fromkeys(codes, pass_value)
    if midpoint and rng.random() < 0.5:
        grades[rng.choice(list(codes))] = pass_value - 1
    if not midpoint:
        above = [v for v in values if v > pass_value]
        for code in rng.sample(list(codes), rng.choice([0, 0, 1, 2])):
            grades[code] = above[0]
    return grades
