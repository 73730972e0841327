"""Demo data for what the final report holds beyond the judgements: the people's numbers and
credentials, learning needs for the first year in practice, the on-site supervisor's statement
and service users' words the educator chose to quote. Called by seed_demo on each final review
before it is signed, so every stored report shows these sections."""

import contextlib
import datetime
import random

from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Review
from portfolios import services as portfolio_services
from portfolios.models import Evidence, ServiceUserFeedback
from portfolios.services.evidence import MappingInput

LEARNING_NEEDS = [
    (
        "Court skills",
        "Write a clear, evidenced statement for care or Court of Protection proceedings and "
        "give evidence with confidence.",
        "Shadow a senior practitioner at two hearings; the authority's court skills course in "
        "the first six months.",
    ),
    (
        "Mental Capacity Act assessments",
        "Lead capacity assessments for complex decisions, recording the reasoning for each "
        "step of the test.",
        "Joint assessments with an experienced colleague until signed off by the team manager.",
    ),
    (
        "Managing a caseload",
        "Prioritise a full caseload and say early when the work exceeds the time available.",
        "Fortnightly caseload review in ASYE supervision; a protected caseload for three months.",
    ),
    (
        "Working with interpreters",
        "Plan visits with interpreters, brief them beforehand and check understanding.",
        "A session with the team's language-line lead; observe a colleague's interpreted visit.",
    ),
    (
        "Challenging other professionals",
        "Question a decision respectfully in a multi-agency meeting when a person's view is "
        "missing.",
        "Practise in supervision; attend a strategy meeting with the team manager.",
    ),
    (
        "Analysis in assessments",
        "Move from description to analysis: weigh risks and strengths and say what the "
        "evidence means for the plan.",
        "Use a structured analysis tool for the first ten assessments, discussed in supervision.",
    ),
]

STATEMENTS = [
    "I supervised {name} day to day in the team. {name} arrived on time, prepared for visits and "
    "kept the duty log accurately. Colleagues sought {pronoun} view in team meetings by the end "
    "of the placement. On a difficult duty afternoon {name} stayed calm with an angry relative "
    "and asked for advice at the right moment. I would be glad to work with {name} again.",
    "{name} settled quickly into the rhythm of the office and built good working relationships "
    "with the health colleagues we share cases with. Case notes were written the same day and "
    "were clear enough for anyone covering to pick up. {name} accepted feedback well, and the "
    "changes were visible the following week.",
]

FEEDBACK = [
    (
        "the visit about your support plan",
        "service_user",
        "She listened to what I wanted, not just what the form asked. She explained the plan "
        "in words I understood and rang back when she said she would.",
        "It took a while to get the carers' hours sorted.",
    ),
    (
        "the meeting about your husband's care",
        "carer",
        "He treated us with respect and didn't rush. He made sure I had a say as well.",
        "Sometimes I wasn't sure who to ring when he was not in the office.",
    ),
]


def seed_people(review: Review, rng: random.Random) -> None:
    """Student number and educator credentials, as the university's records hold them."""
    placement = review.placement
    student, educator = placement.student, placement.educator
    if not student.student_number:
        student.student_number = f"{rng.randint(21000000, 24999999)}"
        student.save(update_fields=["student_number"])
    if not educator.registration_number:
        educator.educator_stage = rng.choice(["stage_1", "stage_2", "stage_2"])
        educator.registration_number = f"SW{rng.randint(10000, 129999):06d}"
        educator.save(update_fields=["educator_stage", "registration_number"])


def _feedback(review: Review, rng: random.Random) -> None:
    """Two pieces of feedback through links, mapped and submitted by the student, one of
    them quoted by the educator (if the placement has none already)."""
    placement = review.placement
    if ServiceUserFeedback.objects.filter(evidence__placement=placement).exists():
        given = list(
            Evidence.objects.filter(
                placement=placement, kind=Evidence.Kind.SERVICE_USER_FEEDBACK
            ).exclude(status=Evidence.Status.DRAFT)
        )
    else:
        given = []
        domains = list(placement.framework.domains.all())
        for n, (work, relationship, went_well, could_improve) in enumerate(FEEDBACK):
            _, token = portfolio_services.feedback_request_create(
                actor=placement.student, placement=placement, work_description=work
            )
            item = portfolio_services.feedback_give(
                token=token,
                consent=True,
                relationship=relationship,
                listened="yes",
                respected=rng.choice(["yes", "mostly"]),
                went_well=went_well,
                could_improve=could_improve,
            )
            item = portfolio_services.evidence_update(
                actor=placement.student,
                evidence=item,
                kind=item.kind,
                title=item.title,
                practice_date=min(
                    placement.start_date + datetime.timedelta(days=40 + 30 * n),
                    datetime.date.today(),
                ),
                mappings=[
                    MappingInput(d, "What the person said about my practice.")
                    for d in (rng.sample(domains, 2))
                ],
            )
            given.append(portfolio_services.evidence_submit(actor=placement.student, evidence=item))
    for item in given[:1]:
        # Words that could identify someone are refused, and never quoted.
        with contextlib.suppress(ValidationError):
            portfolio_services.feedback_quote_set(
                actor=placement.educator, evidence=item, for_report=True
            )


def seed_final_report_extras(review: Review, rng: random.Random) -> None:
    """Everything above, on a draft final review about to be signed."""
    placement = review.placement
    seed_people(review, rng)
    for area, development, support in rng.sample(LEARNING_NEEDS, 2):
        services.learning_need_add(
            actor=placement.educator,
            review=review,
            area=area,
            development=development,
            support=support,
        )
    if placement.supervisor is not None:
        services.supervisor_statement_save(
            actor=placement.supervisor,
            review=review,
            text=rng.choice(STATEMENTS).format(name=placement.student.first_name, pronoun="their"),
        )
    _feedback(review, rng)
