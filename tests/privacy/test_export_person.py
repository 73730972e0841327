"""`export_person EMAIL`: a ZIP of everything held about one person, with a manifest listing
every file and each kind of record, and nothing of other people's that is not about them."""

import hashlib
import io
import json
import zipfile

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command

from assessments.models import Review
from notifications.models import Notification
from portfolios.models import Evidence, EvidenceComment
from privacy.export import person_export
from tests.assessments.test_report_data import signed_final

STUDENT_ONLY = "I found the home visit difficult because the kitchen was cold."


@pytest.fixture
def story(cast):
    story = signed_final(cast)
    item = story.evidence[0]
    Evidence.objects.filter(pk=story.draft_evidence.pk).update(reflection=STUDENT_ONLY)
    EvidenceComment.objects.create(evidence=item, author=cast.educator, text="Good links to law.")
    EvidenceComment.objects.create(evidence=item, author=cast.student, text="Thank you.")
    # Outside a request nobody is recorded as making a change; in the app the middleware is.
    Evidence.history.filter(id=item.pk).update(history_user=cast.student)
    AccessAttempt.objects.create(
        username=cast.student.email,
        ip_address="192.0.2.4",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    return story


def export(user) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    person_export(user=user, output=buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def records(zipped, kind) -> list:
    return json.loads(zipped.read(f"{kind}.json"))


def test_the_manifest_lists_every_file_and_counts_every_record(cast, story):
    zipped = export(cast.student)
    manifest = json.loads(zipped.read("manifest.json"))

    names = set(zipped.namelist()) - {"manifest.json"}
    assert {f["path"] for f in manifest["files"]} == names
    for entry in manifest["files"]:
        data = zipped.read(entry["path"])
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    for kind, count in manifest["records"].items():
        assert len(records(zipped, kind)) == count
    assert manifest["person"] == cast.student.pk


def test_a_students_export_holds_their_work_and_what_is_recorded_about_them(cast, story):
    zipped = export(cast.student)
    manifest = json.loads(zipped.read("manifest.json"))

    assert records(zipped, "account")[0]["email"] == cast.student.email
    assert records(zipped, "placements")[0]["roles"] == ["student"]
    assert (
        manifest["records"]["evidence"] == Evidence.objects.filter(created_by=cast.student).count()
    )
    assert STUDENT_ONLY in zipped.read("evidence.json").decode()
    # Their uploaded file, byte for byte.
    (uploaded,) = records(zipped, "evidence_files")
    assert hashlib.sha256(zipped.read(uploaded["path"])).hexdigest() == story.file_sha256
    # The signed reports about them, and the signed reviews behind them.
    assert manifest["records"]["signed_reports"] == 4
    assert {r["kind"] for r in records(zipped, "reviews")} == {"midpoint", "final"}
    # Only the comment they wrote; the refused sign-in from their address.
    assert [c["text"] for c in records(zipped, "comments")] == ["Thank you."]
    assert [a["outcome"] for a in records(zipped, "login_attempts")] == ["refused"]
    # What they were told by email: the delivery records, as the site holds them.
    told = Notification.objects.filter(recipient=cast.student)
    assert told.exists() and manifest["records"]["notifications"] == told.count()
    history = records(zipped, "history")
    assert history and {h["record"] for h in history} == {"evidence"}
    assert {h["object_id"] for h in history} == {str(story.evidence[0].pk)}


def test_an_educators_export_holds_the_reviews_they_wrote_and_not_the_students_evidence(
    cast, story
):
    zipped = export(cast.educator)
    manifest = json.loads(zipped.read("manifest.json"))

    assert records(zipped, "placements")[0]["roles"] == ["educator"]
    assert manifest["records"]["evidence"] == 0
    assert manifest["records"]["evidence_files"] == 0
    assert not [n for n in zipped.namelist() if n.startswith(("files/", "reports/"))]
    everything = b"".join(zipped.read(n) for n in zipped.namelist()).decode()
    assert STUDENT_ONLY not in everything
    assert "Thank you." not in everything
    signed = Review.objects.filter(signed_by=cast.educator).count()
    assert manifest["records"]["reviews"] == signed
    assert [c["text"] for c in records(zipped, "comments")] == ["Good links to law."]
    assert manifest["records"]["login_attempts"] == 0


def test_the_command_writes_the_zip_where_asked(cast, story, tmp_path):
    target = tmp_path / "export.zip"
    out = io.StringIO()
    call_command("export_person", cast.student.email.upper(), "--output", str(target), stdout=out)

    assert "manifest.json" in zipfile.ZipFile(target).namelist()
    assert str(target) in out.getvalue()


def test_the_command_refuses_an_unknown_address_and_an_existing_file(cast, tmp_path):
    with pytest.raises(CommandError, match="No account"):
        call_command("export_person", "nobody@example.org", "--output", str(tmp_path / "x.zip"))
    existing = tmp_path / "taken.zip"
    existing.write_bytes(b"")
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_person", cast.student.email, "--output", str(existing))
