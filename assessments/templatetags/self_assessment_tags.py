"""The self-assessment box on a placement's Reviews page: for the student, a link to assess
themselves before each review still open; for everyone else, whether it has been submitted."""

from django import template

from assessments.models import Review, SelfAssessment
from assessments.services.self_assessment import self_assessment_closed

register = template.Library()


@register.inclusion_tag("assessments/self_assessment_status.html", takes_context=True)
def self_assessment_status(context, placement):
    user = context["request"].user
    is_student = placement.student_id == user.pk
    records = {r.kind: r for r in placement.self_assessments.all()}
    rows = []
    for kind, label in Review.Kind.choices:
        record = records.get(kind)
        submitted = record is not None and record.status == SelfAssessment.Status.SUBMITTED
        rows.append(
            {
                "kind": kind,
                "label": label.lower(),
                "record": record,
                "submitted": submitted,
                "open": is_student
                and not submitted
                and not self_assessment_closed(placement=placement, kind=kind),
            }
        )
    return {"placement": placement, "rows": rows, "is_student": is_student}
