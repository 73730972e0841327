import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portfolios import services
from portfolios.models import Evidence, EvidenceFile, EvidenceMapping
from portfolios.services.evidence import MappingInput
from tests import factories

S = Evidence.Status


def a_day_ago():
    return datetime.date.today() - datetime.timedelta(days=1)


def create(cast, **overrides):
    domains = list(cast.placement.framework.domains.all())
    kwargs = {
        "actor": cast.student,
        "placement": cast.placement,
        "kind": Evidence.Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": a_day_ago(),
        "reflection": "I listened more than I spoke.",
        "mappings": [
            MappingInput(domains[0], "I kept to my role."),
            MappingInput(domains[6], "I used active listening."),
        ],
    }
    kwargs.update(overrides)
    return services.evidence_create(**kwargs)


def test_evidence_is_entered_once_and_mapped_to_many_domains(cast):
    evidence = create(cast)
    assert evidence.status == S.DRAFT
    assert evidence.created_by == cast.student
    notes = dict(evidence.mappings.values_list("domain__order", "note"))
    assert notes == {1: "I kept to my role.", 7: "I used active listening."}


def test_it_rejects_a_mapping_to_another_frameworks_domain(cast):
    foreign = cast.other_placement.framework.domains.first()
    with pytest.raises(ValidationError) as exc:
        create(cast, mappings=[MappingInput(foreign, "Shows it.")])
    assert "mappings" in exc.value.message_dict
    assert not Evidence.objects.exists()


def test_each_mapping_needs_a_note(cast):
    domain = cast.placement.framework.domains.first()
    with pytest.raises(ValidationError) as exc:
        create(cast, mappings=[MappingInput(domain, "   ")])
    assert f"note_{domain.pk}" in exc.value.message_dict


def test_the_practice_date_cannot_be_in_the_future(cast):
    with pytest.raises(ValidationError) as exc:
        create(cast, practice_date=datetime.date.today() + datetime.timedelta(days=3))
    assert "practice_date" in exc.value.message_dict


@pytest.mark.parametrize("who", ["educator", "tutor", "other_student", "supervisor"])
def test_only_the_student_adds_evidence_to_their_placement(cast, who):
    with pytest.raises(PermissionDenied):
        create(cast, actor=getattr(cast, who))
    assert not Evidence.objects.exists()


def test_a_student_cannot_post_evidence_to_someone_elses_placement(cast):
    with pytest.raises(PermissionDenied):
        create(cast, placement=cast.other_placement, mappings=[])


def test_submission_needs_at_least_one_mapping(cast):
    evidence = create(cast, mappings=[])
    with pytest.raises(ValidationError, match="at least one domain"):
        services.evidence_submit(actor=cast.student, evidence=evidence)


def test_a_clean_draft_submits(cast):
    evidence = services.evidence_submit(actor=cast.student, evidence=create(cast))
    assert evidence.status == S.SUBMITTED
    assert evidence.submitted_at is not None


def test_a_name_added_to_the_list_after_saving_blocks_submission_until_confirmed(cast):
    evidence = create(cast, reflection="I met Jayden at school.")
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Jayden"]
    )
    with pytest.raises(ValidationError, match="1 possible identifier"):
        services.evidence_submit(actor=cast.student, evidence=evidence)
    evidence.refresh_from_db()
    assert evidence.status == S.DRAFT
    (finding,) = services.evidence.evidence_confidentiality_findings(evidence=evidence)
    services.evidence_submit(
        actor=cast.student, evidence=evidence, confirmed_fingerprints=[finding.fingerprint]
    )
    evidence.refresh_from_db()
    assert evidence.status == S.SUBMITTED
    # The confirmation holds a fingerprint, never the name itself.
    confirmation = evidence.confidentiality_confirmations.get()
    assert "Jayden" not in confirmation.fingerprint


def test_the_educator_accepts_or_asks_for_a_revision_with_a_comment(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    evidence = services.evidence_submit(actor=cast.student, evidence=create(cast))
    with pytest.raises(ValidationError):
        services.evidence_review(actor=cast.educator, evidence=evidence, accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_review(
            actor=cast.educator, evidence=evidence, accept=False, comment="Add the family's view."
        )
    assert evidence.status == S.REVISION_REQUESTED
    assert mailoutbox[-1].to == [cast.student.email]
    assert "has asked you to revise a piece of evidence" in mailoutbox[-1].body
    assert "Add the family's view." not in mailoutbox[-1].body
    evidence = services.evidence_update(
        actor=cast.student,
        evidence=evidence,
        kind=evidence.kind,
        title=evidence.title,
        practice_date=evidence.practice_date,
        reflection="Now with the family's view.",
        mappings=[MappingInput(cast.placement.framework.domains.first(), "Still shows it.")],
    )
    evidence = services.evidence_submit(actor=cast.student, evidence=evidence)
    assert evidence.status == S.RESUBMITTED
    evidence = services.evidence_review(actor=cast.educator, evidence=evidence, accept=True)
    assert evidence.status == S.ACCEPTED


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor"])
def test_only_the_educator_reviews(cast, who):
    evidence = services.evidence_submit(actor=cast.student, evidence=create(cast))
    with pytest.raises(PermissionDenied):
        services.evidence_review(actor=getattr(cast, who), evidence=evidence, accept=True)


def test_accepted_evidence_cannot_be_edited(cast):
    evidence = services.evidence_submit(actor=cast.student, evidence=create(cast))
    evidence = services.evidence_review(actor=cast.educator, evidence=evidence, accept=True)
    with pytest.raises(ValidationError, match="accepted"):
        services.evidence_update(
            actor=cast.student,
            evidence=evidence,
            kind=evidence.kind,
            title="Changed",
            practice_date=evidence.practice_date,
        )
    evidence.refresh_from_db()
    assert evidence.title == "Reflection on a home visit"


def test_locked_evidence_cannot_be_edited_even_as_a_draft(cast):
    evidence = create(cast)
    Evidence.objects.filter(pk=evidence.pk).update(locked_at=datetime.datetime.now(datetime.UTC))
    with pytest.raises(ValidationError, match="signed review"):
        services.evidence_update(
            actor=cast.student,
            evidence=evidence,
            kind=evidence.kind,
            title="Changed",
            practice_date=evidence.practice_date,
        )


def test_comments_tell_the_student_by_email(cast, mailoutbox, django_capture_on_commit_callbacks):
    evidence = services.evidence_submit(actor=cast.student, evidence=create(cast))
    with django_capture_on_commit_callbacks(execute=True):
        for who in ("educator", "supervisor", "tutor"):
            services.evidence_comment_add(actor=getattr(cast, who), evidence=evidence, text="Good.")
    assert evidence.comments.count() == 3
    assert all(m.to == [cast.student.email] for m in mailoutbox)
    assert len(mailoutbox) == 3


def test_drafts_cannot_be_commented_on_and_strangers_cannot_comment(cast):
    evidence = create(cast)
    with pytest.raises(PermissionDenied):
        services.evidence_comment_add(actor=cast.educator, evidence=evidence, text="Hi")
    evidence = services.evidence_submit(actor=cast.student, evidence=evidence)
    with pytest.raises(PermissionDenied):
        services.evidence_comment_add(actor=cast.other_educator, evidence=evidence, text="Hi")


def test_only_service_user_feedback_is_verified_and_only_by_the_educator(cast):
    feedback = create(cast, kind=Evidence.Kind.SERVICE_USER_FEEDBACK)
    assert feedback.needs_verification
    with pytest.raises(PermissionDenied):
        services.evidence_verify(actor=cast.student, evidence=feedback)
    feedback = services.evidence_verify(actor=cast.educator, evidence=feedback)
    assert feedback.verified_by == cast.educator and not feedback.needs_verification
    with pytest.raises(ValidationError):
        services.evidence_verify(actor=cast.educator, evidence=create(cast))


def test_a_storage_failure_leaves_no_row(cast, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def broken_save(self, name, content, max_length=None):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", broken_save)
    upload = SimpleUploadedFile("notes.txt", b"Plain notes from supervision.\n")
    with pytest.raises(OSError):
        create(cast, files=[upload])
    assert not Evidence.objects.exists()
    assert not EvidenceMapping.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_database_failure_after_storing_removes_the_file(cast, monkeypatch, settings):
    original_save = EvidenceFile.save

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(EvidenceFile, "save", failing_save)
    upload = SimpleUploadedFile("notes.txt", b"Plain notes from supervision.\n")
    with pytest.raises(RuntimeError):
        create(cast, files=[upload])
    monkeypatch.setattr(EvidenceFile, "save", original_save)
    assert not Evidence.objects.exists()
    stored = (
        list((settings.MEDIA_ROOT / "evidence").rglob("*"))
        if (settings.MEDIA_ROOT / "evidence").exists()
        else []
    )
    assert [p for p in stored if p.is_file()] == []


def test_a_stored_file_keeps_its_hash_and_a_random_name(cast, settings):
    import hashlib

    data = b"Plain notes from supervision.\n"
    evidence = create(cast, files=[SimpleUploadedFile("../../etc/notes.txt", data)])
    item = evidence.files.get()
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.original_name == "notes.txt"
    assert "notes" not in item.file.name
    with item.file.open("rb") as handle:
        assert handle.read() == data


def test_a_rejected_file_stops_everything(cast):
    bad = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as exc:
        create(cast, files=[bad])
    assert "files" in exc.value.message_dict
    assert not Evidence.objects.exists()


def test_the_keep_out_list_is_for_the_student_and_educator_only(cast):
    with pytest.raises(PermissionDenied):
        services.placement_confidential_names_set(
            actor=cast.tutor, placement=cast.placement, names=["X"]
        )
    names = services.placement_confidential_names_set(
        actor=cast.educator, placement=cast.placement, names=["  Mrs   Brown ", "", "Jayden"]
    )
    assert names == ["Jayden", "Mrs Brown"]


def test_drafts_are_visible_only_to_their_writer(cast):
    from portfolios.selectors import evidence_visible_to

    draft = create(cast)
    assert list(evidence_visible_to(user=cast.student)) == [draft]
    for who in ("educator", "tutor", "coordinator", "supervisor"):
        assert not evidence_visible_to(user=getattr(cast, who)).exists(), who
    services.evidence_submit(actor=cast.student, evidence=draft)
    for who in ("educator", "tutor", "coordinator", "supervisor"):
        assert evidence_visible_to(user=getattr(cast, who)).exists(), who
    assert not evidence_visible_to(user=cast.other_educator).exists()


def test_factories_make_evidence_on_their_own_placement(db):
    assert factories.EvidenceFactory().placement_id
