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
    INVITATION_RENEWAL = "invitation_renewal", "New invitation link asked for"
    PASSWORD_RESET = "password_reset", "Password reset link"
    COHORT_IMPORTED = "cohort_imported", "Cohort import finished"
    COHORT_IMPORT_FAILED = "cohort_import_failed", "Cohort import stopped"
    DIGEST = "digest", "Daily digest"


@dataclass(frozen=True)
class Wording:
    subject: str
    action: str
    # What the link does, as its text: a digest line and the button of a single email.
    link_text: str = "Open it in Practice Portfolio"
    # Invitations cannot wait for a digest: the person has no account to choose one with.
    always_immediate: bool = False
    # The link holds a secret (an invitation or reset token): it is minted by the worker when
    # the email is sent, never stored on the notification or in the task's arguments.
    secret_link: bool = False

    @property
    def fields(self) -> set[str]:
        return {
            name
            for text in (self.subject, self.action, self.link_text)
            for _, name, _, _ in string.Formatter().parse(text)
            if name
        }


WORDING: dict[str, Wording] = {
    Event.EVIDENCE_SUBMITTED: Wording(
        "Evidence waiting for your review",
        "{student_name} has submitted evidence for you to review: accept it or send it back "
        "with a comment.",
        link_text="Review {student_name}'s evidence",
    ),
    Event.EVIDENCE_COMMENTED: Wording(
        "A comment on your evidence",
        "Your {role} has commented on your evidence. Read the comment and reply if you need to.",
        link_text="Read the comment on your evidence",
    ),
    Event.EVIDENCE_REPLIED: Wording(
        "A reply on your student's evidence",
        "{student_name} has replied to a comment on their evidence.",
        link_text="Read {student_name}'s reply",
    ),
    Event.EVIDENCE_SENT_BACK: Wording(
        "Evidence sent back to you",
        "Your {role} has asked you to revise a piece of evidence. Read what to change, then "
        "submit it again.",
        link_text="Revise your evidence",
    ),
    Event.REVIEW_TO_ACKNOWLEDGE: Wording(
        "Your {review_kind} review is ready to acknowledge",
        "Your {role} has signed your {review_kind} review. Read it, add your comments if you "
        "wish, and acknowledge it.",
        link_text="Acknowledge your {review_kind} review",
    ),
    Event.REVIEW_TO_COUNTERSIGN: Wording(
        "A final review to countersign",
        "{student_name} has acknowledged their final review. Read it and countersign it.",
        link_text="Countersign {student_name}'s final review",
    ),
    Event.REVIEW_TO_RATIFY: Wording(
        "A final report for the panel",
        "{student_name}'s final report has been countersigned and waits for the panel: ratify "
        "it or return it with a reason.",
        link_text="Ratify or return {student_name}'s final report",
    ),
    Event.REVIEW_RETURNED: Wording(
        "A final review returned by the panel",
        "The panel has returned {student_name}'s final review. Read its reason and amend the "
        "review.",
        link_text="Amend {student_name}'s final review",
    ),
    Event.CONCERN_RAISED: Wording(
        "A concern has been raised on a placement",
        "A concern, with an action plan, has been raised on a placement you are part of. Sign "
        "in to read it and note its review date.",
        link_text="Read the concern and its action plan",
    ),
    Event.CONCERN_RAISED_FOR_STUDENT: Wording(
        "A concern has been raised on your placement",
        "A concern, with an action plan, has been raised on your placement. Sign in to read it "
        "and talk it through with your {role}.",
        link_text="Read the concern and its action plan",
    ),
    Event.CONCERN_DUE: Wording(
        "An action plan is due for review",
        "An action plan on one of your placements has reached its review date. Sign in to "
        "review it and record the outcome.",
        link_text="Review the action plan",
    ),
    Event.ATTENDANCE_UNCONFIRMED: Wording(
        "Attendance waiting for your confirmation",
        "{student_name} recorded attendance more than two weeks ago that is not yet confirmed. "
        "Check the days and confirm them.",
        link_text="Confirm {student_name}'s attendance",
    ),
    Event.INVITATION: Wording(
        "You are invited to Practice Portfolio",
        "{inviter} has invited you to Practice Portfolio as {role}. Follow the link to set your "
        "password; it works once and expires on {expires}.",
        link_text="Set your password",
        always_immediate=True,
        secret_link=True,
    ),
    Event.INVITATION_RENEWAL: Wording(
        "A new invitation link was asked for",
        "{email}, whom you invited to Practice Portfolio, asked for a new invitation link "
        "because theirs no longer works. Send one from the invitations page.",
        link_text="Send {email} a new invitation",
    ),
    Event.PASSWORD_RESET: Wording(
        "Reset your Practice Portfolio password",
        "Someone asked to reset the password for your Practice Portfolio account. If it was "
        "you, choose a new password with the link; if not, ignore this email and your password "
        "stays as it is.",
        link_text="Choose a new password",
        always_immediate=True,
        secret_link=True,
    ),
    Event.COHORT_IMPORTED: Wording(
        "Your cohort import has finished",
        "Your cohort import has finished: {placements} placements created, and everyone new "
        "has been sent an invitation.",
        link_text="See the import",
    ),
    Event.COHORT_IMPORT_FAILED: Wording(
        "Your cohort import stopped: nothing was imported",
        "Your cohort import could not be finished, so nothing was imported. Open it to see "
        "why, fix the file and import it again.",
        link_text="See why the import stopped",
    ),
    Event.DIGEST: Wording(
        "Practice Portfolio: what needs you today",
        "Here is what has been waiting for you since your last summary.",
    ),
}
