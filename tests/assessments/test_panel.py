"""The panel: its queue (countersigned final reports of its own universities only), the
moderation sample (every fail and defer, a share of each programme's passes, drawn
reproducibly and recorded once), meetings, and each meeting's decisions as a page and a CSV."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import ModerationSample, Review
from assessments.services.panel import draw_passes, passes_to_draw
from portfolios.models import Placement
from tests import factories
from tests.assessments import builders

PS = Placement.Status
Rec = Review.Recommendation


def waiting(programme, recommendation=Rec.PASS, status=Review.Status.COUNTERSIGNED) -> Review:
    """A final review at the panel's door, written directly: the queue only reads it."""
    placement = factories.PlacementFactory(programme=programme, status=PS.COUNTERSIGNED)
    now = timezone.now()
    return Review.objects.create(
        placement=placement,
        kind=Review.Kind.FINAL,
        status=status,
        recommendation=recommendation,
        signed_by=placement.educator,
        signed_at=now,
        locked_at=now,
        countersigned_by=placement.tutor,
        countersigned_at=now,
    )


@pytest.fixture
def meeting(cast):
    return builders.meeting(cast.placement, cast.panel)


def sampled(sample) -> set:
    return set(sample.items.filter(sampled=True).values_list("review_id", flat=True))


# --- The sample -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "share", "expected"), [(0, 10, 0), (1, 10, 1), (9, 10, 1), (15, 10, 2), (4, 100, 4)]
)
def test_the_share_of_passes_is_rounded_up_and_at_least_one(count, share, expected):
    assert passes_to_draw(count, share) == expected


def test_the_sample_is_every_fail_and_defer_and_a_share_of_each_programmes_passes(cast, meeting):
    other_programme = factories.ProgrammeFactory(university=cast.university)
    other_programme.moderation_pass_share = 50
    other_programme.save()
    fail = waiting(cast.programme, Rec.FAIL)
    defer = waiting(cast.programme, Rec.DEFER)
    passes = [waiting(cast.programme) for _ in range(12)]
    other_passes = [waiting(other_programme) for _ in range(4)]
    sample = services.moderation_sample_draw(actor=cast.panel, meeting=meeting)
    chosen = sampled(sample)
    assert {fail.pk, defer.pk} <= chosen
    assert len(chosen & {p.pk for p in passes}) == 2  # 10% of 12, rounded up
    assert len(chosen & {p.pk for p in other_passes}) == 2  # 50% of 4
    assert sample.items.count() == 18  # every report waiting, sampled or not, is recorded
    assert sample.drawn_by == cast.panel and sample.seed == meeting.pk.hex


def test_drawing_again_returns_the_recorded_sample_even_when_the_queue_changed(cast, meeting):
    for _ in range(5):
        waiting(cast.programme)
    first = services.moderation_sample_draw(actor=cast.panel, meeting=meeting)
    before = sampled(first)
    waiting(cast.programme, Rec.FAIL)
    again = services.moderation_sample_draw(actor=cast.panel, meeting=meeting)
    assert again.pk == first.pk and sampled(again) == before
    assert ModerationSample.objects.count() == 1


def test_the_draw_is_reproducible_from_its_seed_and_differs_between_meetings(cast):
    passes = [waiting(cast.programme) for _ in range(30)]
    one = draw_passes(passes, k=3, seed="abc:1")
    assert draw_passes(list(reversed(passes)), k=3, seed="abc:1") == one
    assert any(draw_passes(passes, k=3, seed=f"other{i}:1") != one for i in range(5))


def test_a_meeting_with_nothing_waiting_draws_nothing(cast, meeting):
    with pytest.raises(ValidationError):
        services.moderation_sample_draw(actor=cast.panel, meeting=meeting)
    assert not ModerationSample.objects.exists()


def test_another_universitys_panel_cannot_draw(cast, meeting):
    stranger = factories.PanelMemberFactory()
    cast.other_placement.programme.university.members.add(stranger)
    waiting(cast.programme)
    with pytest.raises(PermissionDenied):
        services.moderation_sample_draw(actor=stranger, meeting=meeting)


# --- Meetings ---------------------------------------------------------------------------------


def test_a_meeting_lists_only_panel_members_of_its_university(cast):
    with pytest.raises(ValidationError) as exc:
        services.panel_meeting_create(
            actor=cast.panel,
            university=cast.university,
            date=timezone.localdate(),
            members=[cast.panel, cast.coordinator],
        )
    assert "members" in exc.value.message_dict
    meeting = services.panel_meeting_create(
        actor=cast.panel,
        university=cast.university,
        date=timezone.localdate(),
        members=[cast.panel],
    )
    assert list(meeting.members_present.all()) == [cast.panel]


def test_only_the_universitys_panel_records_its_meetings(cast):
    with pytest.raises(PermissionDenied):
        services.panel_meeting_create(
            actor=cast.coordinator,
            university=cast.university,
            date=timezone.localdate(),
            members=[cast.panel],
        )


# --- Pages ------------------------------------------------------------------------------------


def test_the_queue_lists_only_countersigned_finals_of_the_members_universities(
    client, cast, meeting
):
    mine = waiting(cast.programme, Rec.FAIL)
    theirs = waiting(cast.other_placement.programme)
    client.force_login(cast.panel)
    page = client.get(reverse("assessments:panel-queue")).content.decode()
    assert mine.placement.student.display_name in page
    assert theirs.placement.student.display_name not in page
    assert cast.placement.student.display_name not in page  # active: not the panel's yet
    assert "Waiting (1)" in page


def test_the_queue_runs_the_same_queries_however_long(
    client, cast, meeting, django_assert_num_queries
):
    client.force_login(cast.panel)
    url = reverse("assessments:panel-queue")
    waiting(cast.programme)
    client.get(url)
    with django_assert_num_queries(5) as short:
        client.get(url)
    for rec in (Rec.FAIL, Rec.DEFER, Rec.PASS, Rec.PASS):
        waiting(factories.ProgrammeFactory(university=cast.university), rec)
    with django_assert_num_queries(len(short.captured_queries)):
        client.get(url)


def test_other_roles_cannot_open_the_queue(client, cast):
    client.force_login(cast.coordinator)
    assert client.get(reverse("assessments:panel-queue")).status_code == 403


def test_another_universitys_panel_gets_not_found_on_a_meeting(client, cast, meeting):
    stranger = factories.PanelMemberFactory()
    cast.other_placement.programme.university.members.add(stranger)
    client.force_login(stranger)
    for name in ("panel-meeting", "panel-meeting-csv"):
        assert client.get(reverse(f"assessments:{name}", args=[meeting.pk])).status_code == 404
    assert (
        client.post(reverse("assessments:panel-sample-draw", args=[meeting.pk])).status_code == 404
    )


def test_the_member_records_a_meeting_and_draws_its_sample_from_the_pages(client, cast):
    fail = waiting(cast.programme, Rec.FAIL)
    client.force_login(cast.panel)
    response = client.post(
        reverse("assessments:panel-meeting-create"),
        {
            "university": cast.university.pk,
            "date": timezone.localdate().isoformat(),
            "members": [cast.panel.pk],
        },
    )
    meeting = cast.university.panel_meetings.get()
    assert response["Location"] == meeting.get_absolute_url()
    client.post(reverse("assessments:panel-sample-draw", args=[meeting.pk]))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Every fail is read" in page and fail.placement.student.display_name in page


def decide(review, meeting, member, *, note="", status=Review.Status.RATIFIED):
    Review.objects.filter(pk=review.pk).update(
        status=status,
        panel_meeting=meeting,
        panel_by=member,
        panel_at=timezone.now(),
        panel_note=note if status == Review.Status.RATIFIED else "",
        return_reason=note if status == Review.Status.RETURNED else "",
    )


def test_the_decisions_download_as_csv_with_formulas_neutralised(
    client, cast, meeting, django_assert_num_queries
):
    ratified = waiting(cast.programme)
    returned = waiting(cast.programme, Rec.FAIL)
    services.moderation_sample_draw(actor=cast.panel, meeting=meeting)
    decide(ratified, meeting, cast.panel, note='=HYPERLINK("http://x")')
    decide(returned, meeting, cast.panel, note="More on domain 3.", status=Review.Status.RETURNED)
    client.force_login(cast.panel)
    url = reverse("assessments:panel-meeting-csv", args=[meeting.pk])
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Meeting date" and len(rows) == 3
    by_student = {row[2]: row for row in rows[1:]}
    row = by_student[ratified.placement.student.display_name]
    assert row[8] == "Ratified by the panel" and row[9] == '\'=HYPERLINK("http://x")'
    row = by_student[returned.placement.student.display_name]
    assert (row[6], row[7], row[8], row[9]) == (
        "Fail",
        "Yes",
        "Returned by the panel",
        "More on domain 3.",
    )


def test_the_meeting_page_runs_the_same_queries_however_many_decisions(
    client, cast, meeting, django_assert_num_queries
):
    client.force_login(cast.panel)
    url = meeting.get_absolute_url()
    first = waiting(cast.programme)
    services.moderation_sample_draw(actor=cast.panel, meeting=meeting)
    decide(first, meeting, cast.panel)
    client.get(url)
    with django_assert_num_queries(9) as few:
        client.get(url)
    for _ in range(3):
        decide(waiting(cast.programme), meeting, cast.panel, note="Fine.")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
