"""Evidence: create, edit, submit, review, comment, verify.

Files are checked by their content before anything is stored. If a database write fails after
a file was stored, the stored file is removed; if storing a file fails, the transaction rolls
back and no row is left behind.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.events import Event
from notifications.services import notify
from portfolios import confidentiality
from portfolios.models import (
    ConfidentialityConfirmation,
    ConfidentialName,
    DirectObservation,
    Domain,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    EvidenceMapping,
    ObservationFeedback,
    PendingUpload,
    Placement,
    ServiceUserFeedback,
    SupervisionRecord,
)
from portfolios.uploads import CheckedUpload, UploadRejected, inspect_upload

logger = logging.getLogger(__name__)

Status = Evidence.Status
SCANNED_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
}


@dataclass(frozen=True)
class MappingInput:
    domain: Domain
    note: str


# Once the final review is signed (or the placement ended), the portfolio takes no new
# evidence: the report must rest on what the educator saw when signing.
OPEN_STATUSES = (Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.DEFERRED)


def placement_is_open(placement: Placement) -> bool:
    """Whether the portfolio still takes new evidence, supervision records and feedback: while
    the placement runs, or while a coordinator has reopened it for writing."""
    return placement.status in OPEN_STATUSES or write_reopened(placement)


def write_reopened(placement: Placement) -> bool:
    """A coordinator reopened this closed placement for writing, and the time has not run out
    (`placement_write_reopen`). Signed reviews stay locked whatever this says."""
    return placement.write_open_until is not None and placement.write_open_until > timezone.now()


def closed_message(placement: Placement) -> str:
    return (
        f"This placement is {placement.get_status_display().lower()}, so its portfolio "
        "takes no new evidence."
    )


def require_open(placement: Placement) -> None:
    if not placement_is_open(placement):
        raise ValidationError(closed_message(placement))


def _require(user: User, perm: str, placement: Placement, message: str) -> None:
    if not user.has_perm(f"portfolios.{perm}", placement):
        raise PermissionDenied(message)


def _check_mappings(placement: Placement, mappings: Sequence[MappingInput]) -> dict[str, str]:
    errors: dict[str, str] = {}
    word = placement.framework.domain_word
    for mapping in mappings:
        if mapping.domain.framework_id != placement.framework_id:
            errors["mappings"] = (
                f"“{mapping.domain.name}” is not a {word} of this placement's framework."
            )
        elif not mapping.note.strip():
            errors[f"note_{mapping.domain.pk}"] = (
                f"Please say in a sentence or two why this evidence shows this {word}."
            )
    return errors


def _check_files(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, CheckedUpload]]:
    checked, problems = [], []
    max_bytes = settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024
    for upload in files:
        try:
            checked.append((upload, inspect_upload(upload, max_bytes=max_bytes)))
        except UploadRejected as rejection:
            problems.append(rejection.message)
    if problems:
        raise ValidationError({"files": problems})
    return checked


def _store_files(
    evidence: Evidence,
    checked: list[tuple[UploadedFile, CheckedUpload]],
    actor: User,
    stored: list[str],
) -> None:
    """Store each file and its row, noting each stored name in `stored` as soon as it exists,
    so the caller can remove them if anything later in its transaction fails."""
    for upload, info in checked:
        row = EvidenceFile(
            evidence=evidence,
            original_name=info.original_name,
            content_type=info.content_type,
            extension=info.extension,
            size=info.size,
            sha256=info.sha256,
            active_content=info.active_content,
            uploaded_by=actor,
        )
        upload.seek(0)
        row.file.save(info.original_name, upload, save=False)
        stored.append(row.file.name)
        row.save()


def _claim_pending(evidence: Evidence, pending: Sequence[PendingUpload], actor: User) -> None:
    """Turn held uploads into the evidence's files. The stored bytes stay where they are; only
    the rows change, inside the caller's transaction."""
    for held in pending:
        if held.owner_id != actor.pk or held.placement_id != evidence.placement_id:
            raise PermissionDenied("That file was uploaded by someone else.")
        EvidenceFile.objects.create(
            evidence=evidence,
            file=held.file.name,
            original_name=held.original_name,
            content_type=held.content_type,
            extension=held.extension,
            size=held.size,
            sha256=held.sha256,
            active_content=held.active_content,
            uploaded_by=actor,
        )
        held.delete()


def pending_uploads_store(
    *, actor: User, placement: Placement, files: Iterable[UploadedFile]
) -> tuple[list[PendingUpload], list[str]]:
    """Check each file and hold the good ones for the student, so a mistake elsewhere in the
    form does not lose them. Returns the held uploads and a message for each rejected file."""
    _require(actor, "submit_evidence", placement, "Only the student can add evidence here.")
    require_open(placement)
    held, problems = [], []
    max_bytes = settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024
    for upload in files:
        try:
            info = inspect_upload(upload, max_bytes=max_bytes)
        except UploadRejected as rejection:
            problems.append(rejection.message)
            continue
        with _removing_stored_files_on_failure() as stored:
            row = PendingUpload(
                owner=actor,
                placement=placement,
                original_name=info.original_name,
                content_type=info.content_type,
                extension=info.extension,
                size=info.size,
                sha256=info.sha256,
                active_content=info.active_content,
            )
            upload.seek(0)
            row.file.save(info.original_name, upload, save=False)
            stored.append(row.file.name)
            row.save()
        held.append(row)
    return held, problems


def pending_uploads_purge(*, older_than: datetime.timedelta) -> int:
    """Remove held uploads nobody claimed, and their stored bytes."""
    stale = PendingUpload.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for held in stale:
        name = held.file.name
        held.delete()
        default_storage.delete(name)
        count += 1
    return count


@contextmanager
def _removing_stored_files_on_failure():
    """A transaction in which stored files are deleted again if it rolls back.

    Storage is not transactional: a database error after a file was stored would otherwise
    leave an orphan file, and a storage error must leave no row (the rollback sees to that).
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


OBSERVATION_FIELDS = ("planning_notes", "observation_record", "observer", "observer_name")
SUPERVISION_FIELDS = ("attendees", "agenda", "notes", "agreed_actions")


def _check_details(kind: str, details: Mapping[str, str]) -> dict[str, str]:
    if kind == Evidence.Kind.SUPERVISION and not details.get("attendees", "").strip():
        return {"attendees": "Please say who was at the supervision."}
    if kind == Evidence.Kind.DIRECT_OBSERVATION:
        observer = details.get("observer") or DirectObservation.Observer.EDUCATOR
        if observer not in DirectObservation.Observer.values:
            return {"observer": "Please say who observed you."}
        if (
            observer == DirectObservation.Observer.OTHER
            and not details.get("observer_name", "").strip()
        ):
            return {"observer_name": "Please give the observer's name and role."}
    return {}


def _check_kind_change(evidence: Evidence, kind: str) -> dict[str, str]:
    """The kind is fixed once someone else has written into the item: the educator's
    observation feedback, or a service user's own words."""
    if kind == evidence.kind:
        return {}
    if ServiceUserFeedback.objects.filter(evidence=evidence).exists():
        return {"kind": "Feedback given through a link stays service user or carer feedback."}
    if ObservationFeedback.objects.filter(observation__evidence=evidence).exists():
        return {
            "kind": "Your educator has written feedback on this observation, so it stays a "
            "direct observation."
        }
    return {}


def _save_details(evidence: Evidence, details: Mapping[str, str]) -> None:
    """Keep the structured part that matches the evidence's kind, and only that one. A
    supervision record whose content changes must be confirmed again."""
    if evidence.kind == Evidence.Kind.DIRECT_OBSERVATION:
        values = {f: details.get(f, "").strip() for f in OBSERVATION_FIELDS}
        values["observer"] = values["observer"] or DirectObservation.Observer.EDUCATOR
        if values["observer"] != DirectObservation.Observer.OTHER:
            values["observer_name"] = ""
        DirectObservation.objects.update_or_create(evidence=evidence, defaults=values)
    else:
        DirectObservation.objects.filter(evidence=evidence).delete()
    if evidence.kind == Evidence.Kind.SUPERVISION:
        values = {f: details.get(f, "").strip() for f in SUPERVISION_FIELDS}
        record, created = SupervisionRecord.objects.get_or_create(
            evidence=evidence, defaults=values
        )
        if not created and any(getattr(record, f) != v for f, v in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            record.confirmed_by = None
            record.confirmed_at = None
            record.save()
    else:
        SupervisionRecord.objects.filter(evidence=evidence).delete()


def _replace_mappings(evidence: Evidence, mappings: Sequence[MappingInput]) -> None:
    evidence.mappings.all().delete()
    EvidenceMapping.objects.bulk_create(
        EvidenceMapping(evidence=evidence, domain=m.domain, note=m.note.strip()) for m in mappings
    )


class IdentifiersFound(ValidationError):
    """A save refused because some of the text may identify someone the student works with.

    ``findings`` maps each form field to what was found in it, so the page can show each
    finding beside its field with a box to confirm it is not identifying. The matched text
    lives only in this object and the page it is shown on: never logged, never stored.
    """

    def __init__(self, findings: Mapping[str, Sequence[confidentiality.Finding]]):
        self.findings = {field: list(found) for field, found in findings.items()}
        super().__init__({field: _findings_sentence(found) for field, found in findings.items()})


def _findings_sentence(findings: Sequence[confidentiality.Finding]) -> str:
    labels = list(dict.fromkeys(_lower_first(f.label) for f in findings))
    what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return (
        f"This may identify someone ({what}). Change it, or tick the box below if it does "
        "not identify anyone."
    )


def _lower_first(label: str) -> str:
    # "Postcode" reads as "postcode" mid-sentence, but "NHS number" keeps its capitals.
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


# What the check reads in a piece of evidence: (form field, where it is in words, text).
ScannedText = tuple[str, str, str]


def _draft_texts(
    *, kind: str, title: str, reflection: str, mappings: Sequence[MappingInput], details
) -> list[ScannedText]:
    texts = [("title", "your title", title), ("reflection", "your reflection", reflection)]
    texts += [(f"note_{m.domain.pk}", f"your note on “{m.domain.name}”", m.note) for m in mappings]
    if kind == Evidence.Kind.DIRECT_OBSERVATION:
        texts += [
            ("planning_notes", "the planning discussion", details.get("planning_notes", "")),
            ("observer_name", "the observer's name", details.get("observer_name", "")),
            ("observation_record", "what happened", details.get("observation_record", "")),
        ]
    if kind == Evidence.Kind.SUPERVISION:
        texts += [
            ("attendees", "who was there", details.get("attendees", "")),
            ("agenda", "the agenda", details.get("agenda", "")),
            ("supervision_notes", "the supervision notes", details.get("notes", "")),
            ("agreed_actions", "the agreed actions", details.get("agreed_actions", "")),
        ]
    return texts


def _saved_texts(evidence: Evidence) -> list[ScannedText]:
    details: dict[str, str] = {}
    observation = DirectObservation.objects.filter(evidence=evidence).first()
    if observation is not None:
        details |= {f: getattr(observation, f) for f in OBSERVATION_FIELDS if f != "observer"}
    supervision = SupervisionRecord.objects.filter(evidence=evidence).first()
    if supervision is not None:
        details |= {f: getattr(supervision, f) for f in SUPERVISION_FIELDS}
    mappings = [MappingInput(m.domain, m.note) for m in evidence.mappings.select_related("domain")]
    return _draft_texts(
        kind=evidence.kind,
        title=evidence.title,
        reflection=evidence.reflection,
        mappings=mappings,
        details=details,
    )


def _stored_file_text(item: EvidenceFile | PendingUpload) -> str:
    if item.content_type not in SCANNED_TYPES:
        return ""
    try:
        with item.file.open("rb") as handle:
            return confidentiality.extract_text(handle, item.content_type)
    except OSError:
        # The file cannot be read back from storage; say so without the content.
        logger.warning("Could not read a stored file for the confidentiality check")
        return ""


def _file_texts(
    *,
    evidence: Evidence | None = None,
    checked: Sequence[tuple[UploadedFile, CheckedUpload]] = (),
    pending: Sequence[PendingUpload] = (),
) -> list[ScannedText]:
    texts = []
    for upload, info in checked:
        if info.content_type in SCANNED_TYPES:
            upload.seek(0)
            text = confidentiality.extract_text(upload, info.content_type)
            texts.append(("files", info.original_name, text))
    stored = [*(evidence.files.all() if evidence is not None else ()), *pending]
    texts += [("files", item.original_name, _stored_file_text(item)) for item in stored]
    return texts


Found = dict[str, list[confidentiality.Finding]]


def _scan(placement: Placement, texts: Iterable[ScannedText]) -> Found:
    """Every likely identifier, by form field, in reading order."""
    names = list(placement.confidential_names.values_list("name", flat=True))
    found: Found = {}
    for field, source, text in texts:
        for finding in confidentiality.scan_text(text or "", source=source, names=names):
            found.setdefault(field, []).append(finding)
    return found


def _outstanding(found: Found, confirmed: Iterable[str]) -> Found:
    confirmed = set(confirmed)
    left = {field: [f for f in fs if f.fingerprint not in confirmed] for field, fs in found.items()}
    return {field: fs for field, fs in left.items() if fs}


def _record_confirmations(
    evidence: Evidence, actor: User, found: Found, confirmed: Iterable[str]
) -> None:
    """Remember the student's word for each finding they ticked: its fingerprint only."""
    fingerprints = {f.fingerprint for fs in found.values() for f in fs} & set(confirmed)
    ConfidentialityConfirmation.objects.bulk_create(
        [
            ConfidentialityConfirmation(evidence=evidence, fingerprint=fp, confirmed_by=actor)
            for fp in sorted(fingerprints)
        ],
        ignore_conflicts=True,
    )


def evidence_create(
    *,
    actor: User,
    placement: Placement,
    kind: str,
    title: str,
    practice_date: datetime.date,
    reflection: str = "",
    mappings: Sequence[MappingInput] = (),
    files: Sequence[UploadedFile] = (),
    details: Mapping[str, str] | None = None,
    pending: Sequence[PendingUpload] = (),
    confirmed_fingerprints: Iterable[str] = (),
) -> Evidence:
    """A student adds a draft evidence item, mapped to any number of domains, with files, and
    for an observation or supervision record, its structured details.

    Nothing that may identify someone is stored, even in a draft, until the student has
    changed it or confirmed it is not identifying (`IdentifiersFound` otherwise)."""
    _require(actor, "submit_evidence", placement, "Only the student can add evidence here.")
    require_open(placement)
    details = details or {}
    errors = {**_check_mappings(placement, mappings), **_check_details(kind, details)}
    if practice_date > timezone.localdate():
        errors["practice_date"] = "The date of the practice cannot be in the future."
    if errors:
        raise ValidationError(errors)
    checked = _check_files(files)
    texts = _draft_texts(
        kind=kind, title=title, reflection=reflection, mappings=mappings, details=details
    )
    found = _scan(placement, texts + _file_texts(checked=checked, pending=pending))
    if outstanding := _outstanding(found, confirmed_fingerprints):
        raise IdentifiersFound(outstanding)

    with _removing_stored_files_on_failure() as stored:
        evidence = Evidence(
            placement=placement,
            kind=kind,
            title=title.strip(),
            practice_date=practice_date,
            reflection=reflection,
            created_by=actor,
        )
        evidence.full_clean()
        evidence.save()
        _replace_mappings(evidence, mappings)
        _save_details(evidence, details)
        _store_files(evidence, checked, actor, stored)
        _claim_pending(evidence, pending, actor)
        _record_confirmations(evidence, actor, found, confirmed_fingerprints)
    return evidence


def _lock_for_student_edit(actor: User, evidence: Evidence) -> Evidence:
    evidence = Evidence.objects.select_for_update().select_related("placement").get(pk=evidence.pk)
    _require(
        actor,
        "submit_evidence",
        evidence.placement,
        "Only the student can change their evidence.",
    )
    if evidence.locked_at is not None:
        raise ValidationError(
            "This evidence is cited in a signed review, so it can no longer be changed."
        )
    if evidence.status not in Evidence.EDITABLE_STATUSES:
        raise ValidationError(
            f"This evidence is {evidence.get_status_display().lower()}, so it can no longer be "
            "changed. Your educator can ask for a revision if something needs correcting."
        )
    return evidence


def evidence_update(
    *,
    actor: User,
    evidence: Evidence,
    kind: str,
    title: str,
    practice_date: datetime.date,
    reflection: str = "",
    mappings: Sequence[MappingInput] = (),
    files: Sequence[UploadedFile] = (),
    details: Mapping[str, str] | None = None,
    pending: Sequence[PendingUpload] = (),
    confirmed_fingerprints: Iterable[str] = (),
) -> Evidence:
    """Change a draft (or an item sent back for revision): its fields, mappings and new files.
    Refused with `IdentifiersFound` like `evidence_create`; what the student confirmed
    before stays confirmed."""
    details = details or {}
    errors = {**_check_mappings(evidence.placement, mappings), **_check_details(kind, details)}
    if practice_date > timezone.localdate():
        errors["practice_date"] = "The date of the practice cannot be in the future."
    if errors:
        raise ValidationError(errors)
    checked = _check_files(files)
    texts = _draft_texts(
        kind=kind, title=title, reflection=reflection, mappings=mappings, details=details
    )
    found = _scan(
        evidence.placement,
        texts + _file_texts(evidence=evidence, checked=checked, pending=pending),
    )
    earlier = evidence.confidentiality_confirmations.values_list("fingerprint", flat=True)
    if outstanding := _outstanding(found, [*earlier, *confirmed_fingerprints]):
        raise IdentifiersFound(outstanding)
    with _removing_stored_files_on_failure() as stored:
        evidence = _lock_for_student_edit(actor, evidence)
        kind_errors = _check_kind_change(evidence, kind)
        if kind_errors:
            raise ValidationError(kind_errors)
        evidence.kind = kind
        evidence.title = title.strip()
        evidence.practice_date = practice_date
        evidence.reflection = reflection
        evidence.full_clean()
        evidence.save()
        _replace_mappings(evidence, mappings)
        _save_details(evidence, details)
        _store_files(evidence, checked, actor, stored)
        _claim_pending(evidence, pending, actor)
        _record_confirmations(evidence, actor, found, confirmed_fingerprints)
    return evidence


def evidence_file_delete(*, actor: User, evidence_file: EvidenceFile) -> None:
    with transaction.atomic():
        _lock_for_student_edit(actor, evidence_file.evidence)
        name, storage = evidence_file.file.name, evidence_file.file.storage
        evidence_file.delete()
        # Remove the stored bytes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))


# --- Confidentiality --------------------------------------------------------------------------


def evidence_confidentiality_findings(*, evidence: Evidence) -> list[confidentiality.Finding]:
    """Likely identifiers anywhere in the evidence (title, reflection, mapping notes, the
    observation or supervision record, and the text of its PDF, DOCX and text files) that the
    student has not yet confirmed as not identifying. Never logged."""
    found = _scan(evidence.placement, _saved_texts(evidence) + _file_texts(evidence=evidence))
    confirmed = evidence.confidentiality_confirmations.values_list("fingerprint", flat=True)
    return [f for fs in _outstanding(found, confirmed).values() for f in fs]


def evidence_submit(
    *, actor: User, evidence: Evidence, confirmed_fingerprints: Iterable[str] = ()
) -> Evidence:
    """Submit a draft (or resubmit after a revision request) once every confidentiality
    finding is fixed or confirmed as not identifying."""
    with transaction.atomic():
        evidence = _lock_for_student_edit(actor, evidence)
        require_open(evidence.placement)
        if not evidence.mappings.exists():
            word = evidence.placement.framework.domain_word
            raise ValidationError(
                f"Map this evidence to at least one {word} before you submit it, saying why it "
                f"shows that {word}."
            )
        findings = evidence_confidentiality_findings(evidence=evidence)
        confirmed = set(confirmed_fingerprints)
        ConfidentialityConfirmation.objects.bulk_create(
            [
                ConfidentialityConfirmation(
                    evidence=evidence, fingerprint=f.fingerprint, confirmed_by=actor
                )
                for f in {f.fingerprint: f for f in findings if f.fingerprint in confirmed}.values()
            ],
            ignore_conflicts=True,
        )
        outstanding = [f for f in findings if f.fingerprint not in confirmed]
        if outstanding:
            raise ValidationError(
                f"{len(outstanding)} possible identifier{'s' if len(outstanding) != 1 else ''} "
                "still need your attention: change the text, or confirm each is not identifying."
            )
        evidence.status = (
            Status.RESUBMITTED if evidence.status == Status.REVISION_REQUESTED else Status.SUBMITTED
        )
        evidence.submitted_at = timezone.now()
        evidence.save(update_fields=["status", "submitted_at", "updated_at"])
        placement = evidence.placement
        _notify(evidence, placement.educator, Event.EVIDENCE_SUBMITTED)
    return evidence


# --- The educator's side ----------------------------------------------------------------------


def evidence_review(
    *, actor: User, evidence: Evidence, accept: bool, comment: str = ""
) -> Evidence:
    """The educator accepts submitted evidence, or sends it back with a comment."""
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update().select_related("placement").get(pk=evidence.pk)
        )
        _require(
            actor,
            "assess_placement",
            evidence.placement,
            f"Only the {evidence.placement.framework.educator_title} can review evidence.",
        )
        if evidence.created_by_id == actor.pk:
            raise ValidationError(
                "You wrote this record yourself, so you cannot accept it or send it back: the "
                "student confirms it is accurate instead."
            )
        if evidence.locked_at is not None:
            raise ValidationError(
                "This evidence is cited in a signed review and is locked, so it cannot be sent "
                "back for revision."
            )
        if evidence.status not in (Status.SUBMITTED, Status.RESUBMITTED):
            raise ValidationError(
                f"This evidence is {evidence.get_status_display().lower()}, so there is nothing "
                "to review."
            )
        comment = comment.strip()
        if not accept and not comment:
            raise ValidationError(
                {"comment": "Please say what the student should change before resubmitting."}
            )
        evidence.status = Status.ACCEPTED if accept else Status.REVISION_REQUESTED
        evidence.review_comment = "" if accept else comment
        evidence.reviewed_by = actor
        evidence.reviewed_at = timezone.now()
        evidence.save()
        if not accept:
            _notify(evidence, evidence.placement.student, Event.EVIDENCE_SENT_BACK, actor)
    return evidence


def evidence_verify(*, actor: User, evidence: Evidence) -> Evidence:
    """The educator confirms that service user or carer feedback is genuine."""
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update().select_related("placement").get(pk=evidence.pk)
        )
        _require(actor, "assess_placement", evidence.placement, "Only the educator can verify.")
        if evidence.kind != Evidence.Kind.SERVICE_USER_FEEDBACK:
            raise ValidationError("Only service user or carer feedback needs verifying.")
        if evidence.verified_at is None:
            evidence.verified_by = actor
            evidence.verified_at = timezone.now()
            evidence.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return evidence


def evidence_comment_add(
    *, actor: User, evidence: Evidence, text: str, confirmed_fingerprints: Iterable[str] = ()
) -> EvidenceComment:
    """Educators, supervisors and tutors comment on evidence, and the student is told by
    email; the student replies, and their educator is told. A comment that may identify
    someone is refused (`IdentifiersFound`) until it is changed or confirmed."""
    evidence = Evidence.objects.select_related("placement__student", "placement__educator").get(
        pk=evidence.pk
    )
    is_student = actor.has_perm("portfolios.submit_evidence", evidence.placement)
    if not is_student:
        _require(actor, "comment_placement", evidence.placement, "You cannot comment here.")
    if evidence.status == Status.DRAFT:
        raise PermissionDenied("Drafts are private to the student until they submit them.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Please write your comment before sending it."})
    found = _scan(evidence.placement, [("text", "your comment", text)])
    earlier = evidence.confidentiality_confirmations.values_list("fingerprint", flat=True)
    if outstanding := _outstanding(found, [*earlier, *confirmed_fingerprints]):
        raise IdentifiersFound(outstanding)
    comment = EvidenceComment(evidence=evidence, author=actor, text=text)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        _record_confirmations(evidence, actor, found, confirmed_fingerprints)
        if is_student:
            _notify(evidence, evidence.placement.educator, Event.EVIDENCE_REPLIED)
        else:
            _notify(evidence, evidence.placement.student, Event.EVIDENCE_COMMENTED, actor)
    return comment


def _notify(evidence: Evidence, recipient: User, event: str, actor: User | None = None) -> None:
    """Mail says what to do and links to it, nothing more: no title, no comment, nothing about
    the people in the case, since mail is copied, forwarded and kept beyond our reach. Staff
    read the student's name; the student reads the role of who acted."""
    placement = evidence.placement
    context = (
        {"role": role_on(placement, actor)}
        if actor is not None
        else {"student_name": placement.student.display_name}
    )
    notify(user=recipient, event=event, link=evidence.get_absolute_url(), context=context)


def role_on(placement: Placement, person: User) -> str:
    """What the student calls this person on their placement."""
    if person.pk == placement.educator_id:
        return placement.framework.educator_title
    if person.pk == placement.supervisor_id:
        return "on-site supervisor"
    return "tutor"


def placement_confidential_names_set(
    *, actor: User, placement: Placement, names: Iterable[str]
) -> list[str]:
    """Replace the placement's "names to keep out" list (student or educator)."""
    if not (
        actor.has_perm("portfolios.submit_evidence", placement)
        or actor.has_perm("portfolios.assess_placement", placement)
    ):
        raise PermissionDenied("Only the student or their educator can change this list.")
    cleaned = sorted({" ".join(n.split()) for n in names if n.strip()}, key=str.lower)
    if any(len(n) > 120 for n in cleaned):
        raise ValidationError({"names": "Each name must be 120 characters or fewer."})
    with transaction.atomic():
        placement.confidential_names.all().delete()
        ConfidentialName.objects.bulk_create(
            ConfidentialName(placement=placement, name=n) for n in cleaned
        )
    return cleaned
