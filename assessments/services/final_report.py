"""What the final review holds beside the judgements: the learning needs carried into the
first year in practice, and the on-site supervisor's statement. Both are signed content."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import SUPERVISOR_STATEMENT_MAX, LearningNeed, Review

LEARNING_NEEDS_MAX = 12


def _final_draft(review: Review) -> Review:
    # Imported here: the package's __init__ imports this module at its end.
    from assessments.services import _editable

    review = _editable(review)
    if not review.is_final:
        raise ValidationError("Only the final review carries this.")
    return review


@transaction.atomic
def learning_need_add(
    *, actor: User, review: Review, area: str, development: str, support: str = ""
) -> LearningNeed:
    """An area for development for the first year in practice, with the support suggested."""
    from assessments.services import _require_educator

    review = _final_draft(review)
    _require_educator(actor, review.placement)
    area, development, support = area.strip(), development.strip(), support.strip()
    errors = {}
    if not area:
        errors["area"] = "Please name the area for development."
    if not development:
        errors["development"] = "Please say what the student should develop."
    if errors:
        raise ValidationError(errors)
    if review.learning_needs.count() >= LEARNING_NEEDS_MAX:
        raise ValidationError(
            {"area": f"A report holds at most {LEARNING_NEEDS_MAX} learning needs: combine some."}
        )
    return LearningNeed.objects.create(
        review=review, area=area, development=development, support=support
    )


@transaction.atomic
def learning_need_remove(*, actor: User, need: LearningNeed) -> None:
    from assessments.services import _require_educator

    review = _final_draft(need.review)
    _require_educator(actor, review.placement)
    need.delete()


@transaction.atomic
def supervisor_statement_save(*, actor: User, review: Review, text: str) -> Review:
    """The on-site supervisor's statement on the final review, before the educator signs."""
    review = _final_draft(review)
    if review.placement.supervisor_id is None or actor.pk != review.placement.supervisor_id:
        raise PermissionDenied("Only the placement's on-site supervisor writes this statement.")
    text = text.strip()
    if len(text) > SUPERVISOR_STATEMENT_MAX:
        raise ValidationError(
            {"text": f"Please keep the statement to {SUPERVISOR_STATEMENT_MAX} characters."}
        )
    review.supervisor_statement = text
    review.supervisor_statement_at = timezone.now() if text else None
    review.save(update_fields=["supervisor_statement", "supervisor_statement_at", "updated_at"])
    return review
