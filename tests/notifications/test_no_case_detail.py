"""No email carries what lies behind the sign-in: markers written into the evidence, comments,
concern, review comments and the panel's reason never appear in any subject, text or HTML."""

import pytest
from django.conf import settings

from assessments import services as reviews
from portfolios import services
from portfolios.services.evidence import MappingInput
from tests.assessments import builders
from tests.notifications.helpers import assert_none_of

EVIDENCE_MARK = "Quillbrook-EV-4417"
COMMENT_MARK = "Quillbrook-CM-5521"
REVISION_MARK = "Quillbrook-RV-6630"
CONCERN_MARK = "Quillbrook-CN-7742"
STUDENT_COMMENT_MARK = "Quillbrook-SC-8853"
RETURN_MARK = "Quillbrook-RT-9964"
COUNTERSIGN_MARK = "Quillbrook-CS-1075"


def test_evidence_emails_carry_no_title_reflection_or_comment(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    domain = cast.placement.framework.domains.first()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_create(
            actor=cast.student,
            placement=cast.placement,
            kind="critical_reflection",
            title=f"Visit {EVIDENCE_MARK}",
            practice_date=builders.days_ago(2),
            reflection=f"I met {EVIDENCE_MARK} at home.",
            mappings=[MappingInput(domain, f"Shows {EVIDENCE_MARK}.")],
        )
        item = services.evidence_submit(actor=cast.student, evidence=item)
        services.evidence_comment_add(actor=cast.supervisor, evidence=item, text=COMMENT_MARK)
        services.evidence_comment_add(actor=cast.student, evidence=item, text=COMMENT_MARK)
        services.evidence_review(
            actor=cast.educator, evidence=item, accept=False, comment=REVISION_MARK
        )
    assert len(mailoutbox) == 4
    assert_none_of([EVIDENCE_MARK, COMMENT_MARK, REVISION_MARK], mailoutbox)
    assert all(item.get_absolute_url() in mail.body for mail in mailoutbox)


def test_review_emails_carry_no_comments_or_reasons(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    review = builders.ready(cast.placement)
    with django_capture_on_commit_callbacks(execute=True):
        review = reviews.review_sign(actor=cast.educator, review=review)
        review = reviews.review_acknowledge(
            actor=cast.student, review=review, comment=STUDENT_COMMENT_MARK
        )
        review = reviews.review_countersign(
            actor=cast.tutor, review=review, confirmed=True, comment=COUNTERSIGN_MARK
        )
        reviews.review_return(
            actor=cast.panel,
            review=review,
            meeting=builders.meeting(cast.placement),
            reason=RETURN_MARK,
        )
    assert [m.to[0] for m in mailoutbox] == [
        cast.student.email,
        cast.tutor.email,
        cast.panel.email,
        cast.educator.email,
    ]
    assert_none_of(
        [STUDENT_COMMENT_MARK, COUNTERSIGN_MARK, RETURN_MARK, "Builds trust quickly"], mailoutbox
    )
    # The student reads who must act by role; staff may read the student's name.
    assert cast.educator.display_name not in mailoutbox[0].body
    assert cast.student.display_name in mailoutbox[1].body


@pytest.mark.parametrize("raiser", ["educator", "tutor"])
def test_concern_emails_name_nobody_and_hold_no_detail(
    cast, mailoutbox, django_capture_on_commit_callbacks, raiser
):
    domain = cast.placement.framework.domains.first()
    with django_capture_on_commit_callbacks(execute=True):
        concern = reviews.concern_raise(
            actor=getattr(cast, raiser),
            placement=cast.placement,
            description=CONCERN_MARK,
            review_date=builders.days_ahead(10),
            targets={domain: CONCERN_MARK},
        )
    assert len(mailoutbox) == 2
    assert_none_of(
        [CONCERN_MARK, cast.student.display_name, cast.placement.setting_name], mailoutbox
    )
    assert all(concern.get_absolute_url() in mail.body for mail in mailoutbox)


def test_an_email_has_a_plain_text_and_an_html_part_from_the_email_templates(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    draft = builders.evidence(cast.placement, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_submit(actor=cast.student, evidence=draft)
    (mail,) = mailoutbox
    assert mail.subject == "Evidence waiting for your review"
    assert f"{cast.student.display_name} has submitted evidence" in mail.body
    assert "&#x27;" not in mail.body and "&amp;" not in mail.body  # plain text is not escaped
    ((html, mimetype),) = mail.alternatives
    assert mimetype == "text/html"
    assert f'href="{settings.SITE_URL}{draft.get_absolute_url()}"' in html
    assert "/accounts/email/" in mail.body
