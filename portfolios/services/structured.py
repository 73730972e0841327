"""The structured kinds of evidence: direct observations, supervision records, and feedback
from service users and carers given through a one-time link."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from portfolios import confidentiality
from portfolios.models import (
    DirectObservation,
    Domain,
    Evidence,
    FeedbackRequest,
    ObservationFeedback,
    Placement,
    ServiceUserFeedback,
    SupervisionRecord,
)
from portfolios.services.evidence import (
    OPEN_STATUSES,
    IdentifiersFound,
    _outstanding,
    _record_confirmations,
    _scan,
    placement_is_open,
    require_open,
)

FEEDBACK_LINK_DAYS = 30
Status = Evidence.Status


def _locked(evidence: Evidence) -> Evidence:
    return (
        Evidence.objects.select_for_update()
        .select_related("placement__framework", "placement__student")
        .get(pk=evidence.pk)
    )


# --- Direct observations ----------------------------------------------------------------------


def observation_feedback_save(
    *,
    actor: User,
    evidence: Evidence,
    feedback: Mapping[Domain, str],
    confirmed_fingerprints: Iterable[str] = (),
) -> list[ObservationFeedback]:
    """The educator's feedback against each domain the observation shows. A blank text removes
    that domain's feedback. Feedback that may identify someone is refused
    (`IdentifiersFound`, keyed `fb_<domain id>`) until it is changed or confirmed."""
    with transaction.atomic():
        evidence = _locked(evidence)
        placement = evidence.placement
        if not actor.has_perm("portfolios.assess_placement", placement):
            raise PermissionDenied(
                f"Only the {placement.framework.educator_title} writes observation feedback."
            )
        if evidence.kind != Evidence.Kind.DIRECT_OBSERVATION or evidence.status == Status.DRAFT:
            raise ValidationError("Feedback can be written on a submitted direct observation.")
        if evidence.locked_at is not None:
            raise ValidationError("This observation is cited in a signed review and is locked.")
        observed = set(evidence.mappings.values_list("domain_id", flat=True))
        if any(domain.pk not in observed for domain in feedback):
            raise ValidationError(
                f"Feedback can only be given on the {placement.framework.domain_word_plural} "
                "this observation was mapped to."
            )
        found = _scan(
            placement,
            [(f"fb_{d.pk}", f"your feedback on “{d.name}”", text) for d, text in feedback.items()],
        )
        _refuse_unconfirmed(evidence, found, confirmed_fingerprints)
        _record_confirmations(evidence, actor, found, confirmed_fingerprints)
        observation, _ = DirectObservation.objects.get_or_create(evidence=evidence)
        saved = []
        for domain, text in feedback.items():
            text = text.strip()
            if not text:
                observation.feedback.filter(domain=domain).delete()
                continue
            row, _ = ObservationFeedback.objects.update_or_create(
                observation=observation,
                domain=domain,
                defaults={"text": text, "written_by": actor},
            )
            saved.append(row)
    return saved


# --- Supervision records ----------------------------------------------------------------------


def supervision_record_create(
    *,
    actor: User,
    placement: Placement,
    practice_date: datetime.date,
    attendees: str,
    agenda: str = "",
    notes: str = "",
    agreed_actions: str = "",
    confirmed_fingerprints: Iterable[str] = (),
) -> Evidence:
    """The educator writes up a supervision; it is shared at once for the student to confirm.
    (A student writes theirs through the ordinary evidence form.) Text that may identify
    someone is refused (`IdentifiersFound`) until it is changed or confirmed."""
    if not actor.has_perm("portfolios.assess_placement", placement):
        raise PermissionDenied("Only the educator records supervision here.")
    require_open(placement)
    if practice_date > timezone.localdate():
        raise ValidationError({"practice_date": "The supervision date cannot be in the future."})
    if not attendees.strip():
        raise ValidationError({"attendees": "Please say who was at the supervision."})
    found = _scan(
        placement,
        [
            ("attendees", "who was there", attendees),
            ("agenda", "the agenda", agenda),
            ("notes", "the notes", notes),
            ("agreed_actions", "the agreed actions", agreed_actions),
        ],
    )
    if outstanding := _outstanding(found, confirmed_fingerprints):
        raise IdentifiersFound(outstanding)
    with transaction.atomic():
        evidence = Evidence(
            placement=placement,
            kind=Evidence.Kind.SUPERVISION,
            title=f"Supervision on {practice_date:%-d %B %Y}",
            practice_date=practice_date,
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
            created_by=actor,
        )
        evidence.full_clean()
        evidence.save()
        SupervisionRecord.objects.create(
            evidence=evidence,
            attendees=attendees.strip(),
            agenda=agenda,
            notes=notes,
            agreed_actions=agreed_actions,
        )
        _record_confirmations(evidence, actor, found, confirmed_fingerprints)
    return evidence


def _refuse_unconfirmed(evidence: Evidence, found, confirmed: Iterable[str]) -> None:
    earlier = evidence.confidentiality_confirmations.values_list("fingerprint", flat=True)
    if outstanding := _outstanding(found, [*earlier, *confirmed]):
        raise IdentifiersFound(outstanding)


def supervision_record_confirm(*, actor: User, evidence: Evidence) -> SupervisionRecord:
    """The other party confirms the record: the educator confirms the student's, and the
    student the educator's."""
    with transaction.atomic():
        evidence = _locked(evidence)
        record = SupervisionRecord.objects.filter(evidence=evidence).first()
        if record is None or evidence.status == Status.DRAFT:
            raise ValidationError("There is no shared supervision record to confirm.")
        placement = evidence.placement
        written_by_student = evidence.created_by_id == placement.student_id
        needed = "assess_placement" if written_by_student else "submit_evidence"
        if evidence.created_by_id == actor.pk or not actor.has_perm(
            f"portfolios.{needed}", placement
        ):
            raise PermissionDenied(
                "The record is confirmed by the other person at the supervision."
            )
        if record.confirmed_at is None:
            record.confirmed_by = actor
            record.confirmed_at = timezone.now()
            record.save(update_fields=["confirmed_by", "confirmed_at"])
    return record


# --- Feedback from service users and carers ---------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feedback_request_create(
    *, actor: User, placement: Placement, work_description: str
) -> tuple[FeedbackRequest, str]:
    """Make a one-time link. Returns the request and the token, which is shown once and never
    stored (only its hash is)."""
    if not (
        actor.has_perm("portfolios.submit_evidence", placement)
        or actor.has_perm("portfolios.assess_placement", placement)
    ):
        raise PermissionDenied("Only the student or their educator can ask for feedback.")
    require_open(placement)
    work_description = " ".join(work_description.split())
    if not work_description:
        raise ValidationError(
            {"work_description": "Please say which piece of work the feedback is about."}
        )
    token = secrets.token_urlsafe(24)
    request = FeedbackRequest(
        placement=placement,
        created_by=actor,
        work_description=work_description,
        token_hash=_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=FEEDBACK_LINK_DAYS),
    )
    request.full_clean()
    request.save()
    return request, token


def feedback_request_for_token(token: str) -> FeedbackRequest | None:
    """The open request this token belongs to, or None if it is unknown, used or expired."""
    if not token or len(token) > 100:
        return None
    return (
        FeedbackRequest.objects.select_related("placement__student")
        .filter(
            token_hash=_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .filter(
            Q(placement__status__in=OPEN_STATUSES)
            | Q(placement__write_open_until__gt=timezone.now())
        )
        .first()
    )


def feedback_give(
    *,
    token: str,
    consent: bool,
    relationship: str,
    listened: str,
    respected: str,
    went_well: str = "",
    could_improve: str = "",
    given_name: str = "",
    confirmed_fingerprints: Iterable[str] = (),
) -> Evidence:
    """Record what a service user or carer said, as unverified evidence on the placement.

    It arrives as a draft of the student's, so they can map it to domains and reflect on it;
    the words themselves sit in ServiceUserFeedback, which the student cannot edit.

    What they wrote is checked for identifiers (a phone number, a postcode, an NHS number...)
    and refused (`IdentifiersFound`) until they change it or confirm it identifies nobody. The
    names-to-keep-out list is not used, so a public page never hints at who is on it. Their
    own name, if they give it, is their choice and not checked.
    """
    if not consent:
        raise ValidationError(
            {"consent": "Please tick the box to say you are happy to share your feedback."}
        )
    if not (went_well.strip() or could_improve.strip()):
        raise ValidationError(
            {"went_well": "Please write something in at least one of the two boxes."}
        )
    found: dict = {}
    for field, text in (("went_well", went_well), ("could_improve", could_improve)):
        if findings := confidentiality.scan_text(text, source=field):
            found[field] = findings
    if outstanding := _outstanding(found, confirmed_fingerprints):
        raise IdentifiersFound(outstanding)
    with transaction.atomic():
        request = (
            FeedbackRequest.objects.select_for_update()
            .filter(token_hash=_hash(token))
            .select_related("placement")
            .first()
        )
        if request is None or request.used_at or request.expires_at <= timezone.now():
            raise ValidationError("This feedback link has already been used or has expired.")
        if not placement_is_open(request.placement):
            raise ValidationError("This feedback link has closed.")
        now = timezone.now()
        evidence = Evidence.objects.create(
            placement=request.placement,
            kind=Evidence.Kind.SERVICE_USER_FEEDBACK,
            title=f"Feedback about {request.work_description}"[:200],
            practice_date=timezone.localdate(),
            created_by=request.placement.student,
        )
        feedback = ServiceUserFeedback(
            evidence=evidence,
            relationship=relationship,
            listened=listened,
            respected=respected,
            went_well=went_well.strip(),
            could_improve=could_improve.strip(),
            given_name=given_name.strip(),
            consent_given_at=now,
        )
        feedback.full_clean()
        feedback.save()
        request.used_at = now
        request.evidence = evidence
        request.save(update_fields=["used_at", "evidence", "updated_at"])
    return evidence


# --- Quotations for the final report ------------------------------------------------------------


@transaction.atomic
def feedback_quote_set(*, actor: User, evidence: Evidence, for_report: bool) -> ServiceUserFeedback:
    """The educator chooses whether the person's words are quoted in the final report. The
    quotation must not identify anyone: words the confidentiality check flags (names to keep
    out, numbers, addresses) are refused, and the name they gave is never printed."""
    evidence = _locked(evidence)
    if not actor.has_perm("portfolios.assess_placement", evidence.placement):
        raise PermissionDenied("Only the educator chooses what the report quotes.")
    feedback = ServiceUserFeedback.objects.filter(evidence=evidence).first()
    if feedback is None:
        raise ValidationError("Only service user or carer feedback can be quoted in the report.")
    require_open(evidence.placement)
    if for_report:
        if not (feedback.went_well.strip() or feedback.could_improve.strip()):
            raise ValidationError("This feedback has no words to quote, only ratings.")
        names = list(evidence.placement.confidential_names.values_list("name", flat=True))
        if feedback.given_name.strip():
            names.append(feedback.given_name.strip())
        text = f"{feedback.went_well}\n{feedback.could_improve}"
        if confidentiality.scan_text(text, source="feedback", names=names):
            raise ValidationError(
                "These words could identify someone (a name, number, address or date of "
                "birth), so they cannot be quoted in the report. The counts still include them."
            )
    feedback.for_report = for_report
    feedback.save(update_fields=["for_report"])
    return feedback
