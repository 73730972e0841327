"""Signed is immutable below the services too: the models, their querysets and, on
PostgreSQL, the database refuse a change to a signed review's judgements, citations,
strengths, suitability, outcome and signatures. The sign-off chain still writes its own steps,
and an amendment is a new version."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assessments import services
from assessments.models import Judgement, JudgementEvidence, Review, Strength, Suitability
from portfolios.models.immutability import LockedError
from tests import factories
from tests.assessments import builders

LOCKED = "This review has been signed and is locked."


@pytest.fixture
def area(db):
    return factories.PracticeAreaFactory(code="adults", name="Adults")


@pytest.fixture
def review(cast, area):
    """A signed midpoint review (quicker to reach than a final one) holding a judgement per
    domain with a citation, a strength with a domain, suitability and a recommendation
    domain: everything a lock covers."""
    draft = builders.ready(cast.placement, Review.Kind.MIDPOINT)
    domain = cast.placement.framework.domains.get(order=1)
    strength = Strength.objects.create(review=draft, text="Builds trust quickly.")
    strength.domains.set([domain])
    Suitability.objects.create(review=draft, practice_area=area, rating="well_suited")
    draft.recommendation_domains.set([domain])
    return services.review_sign(actor=cast.educator, review=draft)


def rows(review) -> dict:
    judgement = builders.judgement(review, 1)
    return {
        "judgement": judgement,
        "citation": judgement.citations.get(),
        "strength": review.strengths.get(),
        "suitability": review.suitability.get(),
    }


CHANGES = {
    "judgement": ("narrative", "Changed."),
    "citation": ("order", 9),
    "strength": ("text", "Changed."),
    "suitability": ("rating", "not_at_present"),
}


def snapshot(review):
    return (
        Review.objects.filter(pk=review.pk).values()[0],
        list(
            Judgement.objects.filter(review=review)
            .order_by("pk")
            .values("domain", "grade", "narrative")
        ),
        list(JudgementEvidence.objects.filter(judgement__review=review).order_by("pk").values()),
        list(Strength.objects.filter(review=review).order_by("pk").values()),
        list(Suitability.objects.filter(review=review).order_by("pk").values()),
        list(review.recommendation_domains.order_by("pk").values_list("pk", flat=True)),
        list(
            Strength.domains.through.objects.filter(strength__review=review).order_by("pk").values()
        ),
    )


def refused(write) -> str:
    with pytest.raises(LockedError) as exc, transaction.atomic():
        write()
    return exc.value.messages[0]


# --- The rows a signed review holds -----------------------------------------------------------


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_row_of_a_signed_review_refuses_save(review, name):
    before = snapshot(review)
    row = rows(review)[name]
    field, value = CHANGES[name]
    setattr(row, field, value)
    assert refused(row.save).startswith(LOCKED)
    assert snapshot(review) == before


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_row_of_a_signed_review_refuses_delete(review, name):
    before = snapshot(review)
    row = rows(review)[name]
    assert refused(row.delete).startswith(LOCKED)
    assert snapshot(review) == before


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_row_of_a_signed_review_refuses_queryset_update_and_delete(review, name):
    before = snapshot(review)
    row = rows(review)[name]
    field, value = CHANGES[name]
    queryset = type(row).objects.filter(pk=row.pk)
    refused(lambda: queryset.update(**{field: value}))
    refused(queryset.delete)
    setattr(row, field, value)
    refused(lambda: type(row).objects.bulk_update([row], [field]))
    assert snapshot(review) == before


def test_the_related_managers_refuse_too(review):
    before = snapshot(review)
    refused(lambda: review.judgements.all().delete())
    refused(lambda: builders.judgement(review, 1).citations.all().delete())
    refused(lambda: review.suitability.update(rationale="Changed."))
    assert snapshot(review) == before


def test_nothing_can_be_added_to_a_signed_review(cast, review, area):
    before = snapshot(review)
    judgement = builders.judgement(review, 1)
    other = builders.evidence(cast.placement, title="Added later")
    children = factories.PracticeAreaFactory(code="children", name="Children")
    refused(lambda: Strength.objects.create(review=review, text="Another."))
    refused(
        lambda: Suitability.objects.bulk_create(
            [Suitability(review=review, practice_area=children, rating="not_observed")]
        )
    )
    refused(lambda: JudgementEvidence.objects.create(judgement=judgement, evidence=other))
    assert snapshot(review) == before


def test_a_row_cannot_be_moved_into_a_signed_review(cast, review):
    draft = builders.start(cast.placement, Review.Kind.FINAL)
    strength = Strength.objects.create(review=draft, text="Moves.")
    strength.review = review
    refused(strength.save)
    refused(lambda: Strength.objects.filter(pk=strength.pk).update(review=review))
    assert review.strengths.count() == 1


def test_the_domains_of_a_signed_review_cannot_change(cast, review):
    before = snapshot(review)
    other = cast.placement.framework.domains.get(order=2)
    strength = review.strengths.get()
    refused(lambda: strength.domains.add(other))
    refused(lambda: strength.domains.clear())
    refused(lambda: review.recommendation_domains.set([other]))
    assert snapshot(review) == before


def test_a_save_that_changes_nothing_passes(review):
    before = snapshot(review)
    for row in rows(review).values():
        row.save()
    assert snapshot(review)[1:] == before[1:]


def test_a_draft_reviews_rows_still_change(cast):
    draft = builders.start(cast.placement, Review.Kind.MIDPOINT)
    judgement = builders.judgement(draft, 1)
    judgement.narrative = "Still a draft."
    judgement.save()
    Judgement.objects.filter(pk=judgement.pk).update(narrative="Again.")
    Strength.objects.create(review=draft, text="A strength.").delete()
    assert builders.judgement(draft, 1).narrative == "Again."


# --- The review row: what was signed, and the steps after ------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", "Rewritten."),
        ("midpoint_outcome", "concerns"),
        ("recommendation", "fail"),
        ("recommendation_justification", "Rewritten."),
        ("no_concern_reason", "Rewritten."),
        ("locked_at", None),
        ("signed_at", None),
        ("status", "draft"),
    ],
)
def test_what_the_educator_signed_cannot_change(review, field, value):
    before = snapshot(review)
    row = builders.fresh(review)
    setattr(row, field, value)
    assert refused(row.save).startswith(LOCKED)
    refused(lambda: Review.objects.filter(pk=review.pk).update(**{field: value}))
    assert snapshot(review) == before


def test_a_signed_review_cannot_be_deleted(review):
    refused(builders.fresh(review).delete)
    refused(Review.objects.filter(pk=review.pk).delete)
    assert Review.objects.filter(pk=review.pk).exists()


def test_the_sign_off_chain_still_writes_its_own_steps(cast):
    review = builders.countersigned(cast.placement)
    signed = Review.objects.filter(pk=review.pk).values(*REVIEW_CONTENT)[0]
    review = services.review_ratify(
        actor=cast.panel,
        review=review,
        meeting=builders.meeting(cast.placement),
        note="A clear report.",
    )
    assert (review.status, review.panel_note) == (Review.Status.RATIFIED, "A clear report.")
    assert Review.objects.filter(pk=review.pk).values(*REVIEW_CONTENT)[0] == signed


REVIEW_CONTENT = ("summary", "recommendation", "signed_at", "locked_at", "acknowledged_at")


def test_an_amendment_is_a_new_version_and_the_signed_one_stays(cast, review):
    before = snapshot(review)
    new = services.review_amend(actor=cast.educator, review=review, reason="Wrong grade.")
    services.judgement_save(
        actor=cast.educator,
        judgement=builders.judgement(new, 1),
        grade=builders.grade(cast.placement, 4),
        narrative="Corrected.",
    )
    assert builders.judgement(new, 1).narrative == "Corrected."
    after = snapshot(review)
    assert after[0]["status"] == Review.Status.SUPERSEDED
    assert after[1:] == before[1:]


# --- The database itself (PostgreSQL) ---------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The triggers exist only on PostgreSQL; on SQLite the model and queryset guards "
    "above are the last layer.",
)


def raw(sql: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def raw_refused(sql: str, params) -> None:
    with pytest.raises(IntegrityError, match=LOCKED):
        raw(sql, params)


@postgres_only
def test_the_database_refuses_changing_a_signed_reviews_rows(review):
    before = snapshot(review)
    found = rows(review)
    raw_refused(
        "UPDATE assessments_judgement SET narrative = 'Changed.' WHERE id = %s",
        [found["judgement"].pk],
    )
    raw_refused("DELETE FROM assessments_judgement WHERE review_id = %s", [review.pk])
    raw_refused(
        'UPDATE assessments_judgementevidence SET "order" = 9 WHERE id = %s',
        [found["citation"].pk],
    )
    raw_refused("DELETE FROM assessments_strength WHERE review_id = %s", [review.pk])
    raw_refused(
        "UPDATE assessments_suitability SET rating = 'not_at_present' WHERE review_id = %s",
        [review.pk],
    )
    raw_refused(
        "DELETE FROM assessments_review_recommendation_domains WHERE review_id = %s", [review.pk]
    )
    raw_refused(
        "DELETE FROM assessments_strength_domains WHERE strength_id = %s", [found["strength"].pk]
    )
    assert snapshot(review) == before


@postgres_only
def test_the_database_refuses_adding_to_a_signed_review(review):
    raw_refused(
        "INSERT INTO assessments_strength (review_id, text, created_at) VALUES (%s, 'x', %s)",
        [review.pk, timezone.now()],
    )
    assert review.strengths.count() == 1


@postgres_only
@pytest.mark.parametrize(
    "assignment",
    ["summary = 'Rewritten.'", "locked_at = NULL", "signed_by_id = NULL", "status = 'draft'"],
)
def test_the_database_refuses_changing_what_was_signed(review, assignment):
    before = snapshot(review)
    raw_refused(f"UPDATE assessments_review SET {assignment} WHERE id = %s", [review.pk])
    raw_refused("DELETE FROM assessments_review WHERE id = %s", [review.pk])
    assert snapshot(review) == before


@postgres_only
def test_the_database_lets_the_sign_off_chain_write_its_steps(review):
    raw(
        "UPDATE assessments_review SET status = 'acknowledged', acknowledged_at = %s, "
        "student_comment = 'Thank you.' WHERE id = %s",
        [timezone.now(), review.pk],
    )
    assert builders.fresh(review).student_comment == "Thank you."


@postgres_only
def test_the_database_lets_a_draft_change(cast):
    draft = builders.start(cast.placement, Review.Kind.MIDPOINT)
    raw("UPDATE assessments_judgement SET narrative = 'Draft.' WHERE review_id = %s", [draft.pk])
    raw("UPDATE assessments_review SET summary = 'Draft.' WHERE id = %s", [draft.pk])
    assert builders.judgement(draft, 1).narrative == "Draft."


# --- Every field of a review is classified ----------------------------------------------------


def test_every_review_field_is_signed_content_or_a_sign_off_chain_step():
    from assessments.models import REVIEW_SIGNED_FIELDS, SIGN_OFF_CHAIN_FIELDS, SIGN_OFF_STEPS

    fields = {f.name for f in Review._meta.concrete_fields} - {"id", "created_at", "updated_at"}
    assert fields == set(REVIEW_SIGNED_FIELDS) | set(SIGN_OFF_CHAIN_FIELDS)
    assert not set(REVIEW_SIGNED_FIELDS) & set(SIGN_OFF_CHAIN_FIELDS)
    stepped = {name for own in SIGN_OFF_STEPS.values() for name in own}
    assert stepped <= set(SIGN_OFF_CHAIN_FIELDS)


def test_the_countersign_comment_is_fixed_once_countersigned(cast):
    review = builders.countersigned(cast.placement)
    before = snapshot(review)
    review = Review.objects.get(pk=review.pk)
    review.countersign_comment = "Changed afterwards."
    refused(review.save)
    refused(lambda: Review.objects.filter(pk=review.pk).update(countersign_comment="Changed."))
    assert snapshot(review) == before


@postgres_only
def test_the_database_refuses_a_changed_countersign_comment_but_takes_the_panels_note(cast):
    review = builders.countersigned(cast.placement)
    raw_refused(
        "UPDATE assessments_review SET countersign_comment = 'x' WHERE id = %s", [review.pk]
    )
    raw("UPDATE assessments_review SET panel_note = 'Clear.' WHERE id = %s", [review.pk])
    assert builders.fresh(review).panel_note == "Clear."
    raw("UPDATE assessments_review SET panel_at = now() WHERE id = %s", [review.pk])
    raw_refused("UPDATE assessments_review SET panel_note = 'Changed.' WHERE id = %s", [review.pk])
