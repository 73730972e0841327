"""What each notification asks its reader to do.

An email carries only a subject, one sentence saying what to do, and a link behind the
sign-in. The sentence is filled from the notification's context, and the context may hold only
the fields its sentence names (`notify` refuses anything else), so no evidence text, comment,
concern or name of a person using a service can reach an email by way of the context.
"""

import string
from dataclasses import dataclass

from django.db import models


class Event(models.TextChoices):
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    EVIDENCE_COMMENTED = "evidence_commented", "Comment on evidence"
    EVIDENCE_REPLIED = "evidence_replied", "Student replied on evidence"
    EVIDENCE_SENT_BACK = "evidence_sent_back", "Evidence sent back"
    REVIEW_TO_ACKNOWLEDGE = "review_to_acknowledge", "Review to acknowledge"
    REVIEW_TO_COUNTERSIGN = "review_to_countersign", "Review to countersign"
    REVIEW_TO_RATIFY = "review_to_ratify", "Report to ratify"
    REVIEW_RETURNED = "review_returned", "Review returned by the panel"
    CONCERN_RAISED = "concern_raised", "Concern raised"
    CONCERN_RAISED_FOR_STUDENT = "concern_raised_for_student", "Concern raised (student)"
    CONCERN_DUE = "concern_due", "Concern due for review"
    ATTENDANCE_UNCONFIRMED = "attendance_unconfirmed", "Attendance unconfirmed"
    INVITATION = "invitation", "Invitation"
    DIGEST = "digest", "Daily digest"


@dataclass(frozen=True)
class Wording:
    subject: str
    action: str
    # Invitations cannot wait for a digest: the person has no account to choose one with.
    always_immediate: bool = False

    @property
    def fields(self) -> set[str]:
        return {
            name
            for text in (self.subject, self.action)
            for _, name, _, _ in string.Formatter().parse(text)
            if name
        }


WORDING: dict[str, Wording] = {
    Event.EVIDENCE_SUBMITTED: Wording(
        "Evidence waiting for your review",
        "{student_name} has submitted evidence for you to review: accept it or send it back "
        "with a comment.",
    ),
    Event.EVIDENCE_COMMENTED: Wording(
        "A comment on your evidence",
        "Your {role} has commented on your evidence. Read the comment and reply if you need to.",
    ),
    Event.EVIDENCE_REPLIED: Wording(
        "A reply on your student's evidence",
        "{student_name} has replied to a comment on their evidence.",
    ),
    Event.EVIDENCE_SENT_BACK: Wording(
        "Evidence sent back to you",
        "Your {role} has asked you to revise a piece of evidence. Read what to change, then "
        "submit it again.",
    ),
    Event.REVIEW_TO_ACKNOWLEDGE: Wording(
        "Your {review_kind} review is ready to acknowledge",
        "Your {role} has signed your {review_kind} review. Read it, add your comments if you "
        "wish, and acknowledge it.",
    ),
    Event.REVIEW_TO_COUNTERSIGN: Wording(
        "A final review to countersign",
        "{student_name} has acknowledged their final review. Read it and countersign it.",
    ),
    Event.REVIEW_TO_RATIFY: Wording(
        "A final report for the panel",
        "{student_name}'s final report has been countersigned and waits for the panel: ratify "
        "it or return it with a reason.",
    ),
    Event.REVIEW_RETURNED: Wording(
        "A final review returned by the panel",
        "The panel has returned {student_name}'s final review. Read its reason and amend the "
        "review.",
    ),
    Event.CONCERN_RAISED: Wording(
        "A concern has been raised on a placement",
        "A concern, with an action plan, has been raised on a placement you are part of. Sign "
        "in to read it and note its review date.",
    ),
    Event.CONCERN_RAISED_FOR_STUDENT: Wording(
        "A concern has been raised on your placement",
        "A concern, with an action plan, has been raised on your placement. Sign in to read it "
        "and talk it through with your {role}.",
    ),
    Event.CONCERN_DUE: Wording(
        "An action plan is due for review",
        "An action plan on one of your placements has reached its review date. Sign in to "
        "review it and record the outcome.",
    ),
    Event.ATTENDANCE_UNCONFIRMED: Wording(
        "Attendance waiting for your confirmation",
        "{student_name} recorded attendance more than two weeks ago that is not yet confirmed. "
        "Check the days and confirm them.",
    ),
    Event.INVITATION: Wording(
        "You are invited to Practice Portfolio",
        "You have been invited to Practice Portfolio as {role} by {university}. Follow the link "
        "to set your password; it works once and expires on {expires}.",
        always_immediate=True,
    ),
    Event.DIGEST: Wording(
        "Practice Portfolio: what needs you today",
        "Here is what has been waiting for you since your last summary.",
    ),
}
