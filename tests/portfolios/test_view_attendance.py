"""The attendance page: the student adds and removes days, the on-site supervisor or educator
confirms a week in one click, everyone else on the placement reads it; and the tutor's
dashboard flags absences and days left unconfirmed."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import AttendanceDay, Placement
from portfolios.services.attendance import week_start_of
from tests import factories

Kind = AttendanceDay.Kind
Portion = AttendanceDay.Portion
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
READERS = ["tutor", "coordinator", "panel"]
COHORT_DASHBOARD = reverse("portfolios:dashboard-cohort")


def last_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def page_url(placement) -> str:
    return reverse("portfolios:attendance", kwargs={"pk": placement.pk})


def confirm_url(placement) -> str:
    return reverse("portfolios:attendance-confirm", kwargs={"pk": placement.pk})


def remove_url(day) -> str:
    return reverse(
        "portfolios:attendance-remove", kwargs={"pk": day.placement_id, "day_pk": day.pk}
    )


def record(cast, date, *, portion=Portion.FULL, kind=Kind.PLACEMENT, reason="") -> AttendanceDay:
    return services.attendance_record(
        actor=cast.student,
        placement=cast.placement,
        date=date,
        portion=portion,
        kind=kind,
        absence_reason=reason,
    )


def confirm(cast, monday=None):
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=monday or last_monday()
    )


def confirm_all(cast) -> None:
    unconfirmed = cast.placement.attendance.filter(confirmed_at__isnull=True)
    for monday in {week_start_of(day.date) for day in unconfirmed}:
        confirm(cast, monday)


def day_form(date, **fields) -> dict:
    return {"date": date.isoformat(), "portion": "full", "kind": "placement", **fields}


def html_of(response) -> str:
    return response.content.decode()


def field_errors(response, name: str) -> str:
    """The error messages crispy-forms shows beside one field."""
    html = html_of(response)
    start = html.index(f'id="div_id_{name}"')
    following = re.search(r'id="div_id_|</form>', html[start + 1 :])
    block = html[start : start + 1 + following.start()]
    return block[block.index("invalid-feedback") :] if "invalid-feedback" in block else ""


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The student records and removes days --------------------------------------------------------


def test_the_student_sees_the_form_to_add_a_day(client, cast):
    client.force_login(cast.student)
    html = html_of(client.get(page_url(cast.placement)))
    assert "Add this day" in html
    assert 'for="id_absence_reason"' in html
    assert "No days recorded yet." in html


def test_the_student_adds_a_day_which_waits_for_confirmation(client, cast):
    client.force_login(cast.student)
    response = client.post(page_url(cast.placement), day_form(last_monday()), follow=True)
    assert response.redirect_chain == [(page_url(cast.placement), 302)]
    day = cast.placement.attendance.get()
    assert (day.date, day.kind, day.recorded_by) == (last_monday(), Kind.PLACEMENT, cast.student)
    html = html_of(response)
    assert "waiting to be confirmed" in html
    assert f"Week of {last_monday():%-d %b %Y}" in html
    assert "1 day recorded and waiting to be confirmed" in html


def test_the_student_adds_a_half_day_absence_with_its_reason(client, cast):
    client.force_login(cast.student)
    client.post(
        page_url(cast.placement),
        day_form(last_monday(), portion="half", kind="absence", absence_reason="Dentist"),
    )
    day = cast.placement.attendance.get()
    assert (day.portion, day.kind, day.absence_reason) == ("half", "absence", "Dentist")
    assert "0.5 days of absence recorded" in html_of(client.get(page_url(cast.placement)))


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (lambda p: timezone.localdate() + datetime.timedelta(days=1), "once it has happened"),
        (lambda p: p.start_date - datetime.timedelta(days=1), "outside the placement"),
        (lambda p: last_monday(), "already in your log"),
    ],
    ids=["future", "before the placement", "twice"],
)
def test_a_bad_day_is_explained_beside_the_date(client, cast, date, message):
    record(cast, last_monday())
    client.force_login(cast.student)
    response = client.post(page_url(cast.placement), day_form(date(cast.placement)))
    assert response.status_code == 200
    assert message in field_errors(response, "date")
    assert cast.placement.attendance.count() == 1


def test_an_absence_without_a_reason_is_explained_beside_the_reason(client, cast):
    client.force_login(cast.student)
    response = client.post(page_url(cast.placement), day_form(last_monday(), kind="absence"))
    assert response.status_code == 200
    assert "reason for the absence" in field_errors(response, "absence_reason")
    assert not cast.placement.attendance.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"date": "yesterday"},
        {"date": "2024-02-30"},
        {"portion": "quarter"},
        {"kind": "holiday"},
        {"absence_reason": "x" * 301, "kind": "absence"},
    ],
)
def test_nothing_typed_into_the_form_causes_an_error_page(client, cast, changes):
    client.force_login(cast.student)
    response = client.post(page_url(cast.placement), {**day_form(last_monday()), **changes})
    assert response.status_code == 200
    assert not cast.placement.attendance.exists()


def test_the_student_removes_an_unconfirmed_day(client, cast):
    day = record(cast, last_monday())
    client.force_login(cast.student)
    response = client.post(remove_url(day), follow=True)
    assert response.redirect_chain == [(page_url(cast.placement), 302)]
    assert not cast.placement.attendance.exists()
    assert any("no longer in your log" in m for m in messages_of(response))


def test_a_confirmed_day_offers_no_remove_button_and_cannot_be_removed(client, cast):
    day = record(cast, last_monday())
    confirm(cast)
    client.force_login(cast.student)
    assert remove_url(day) not in html_of(client.get(page_url(cast.placement)))
    response = client.post(remove_url(day), follow=True)
    assert any("has been confirmed" in m for m in messages_of(response))
    assert cast.placement.attendance.exists()


def test_the_remove_button_names_the_day_it_removes(client, cast):
    day = record(cast, last_monday())
    client.force_login(cast.student)
    html = html_of(client.get(page_url(cast.placement)))
    assert remove_url(day) in html
    assert f'Remove<span class="visually-hidden"> {day.date:%A %-d %B}</span>' in html


def test_a_day_of_another_placement_cannot_be_removed_through_this_one(client, cast):
    mine = factories.PlacementFactory(student=cast.student, programme=cast.programme)
    theirs = record(cast, last_monday())
    client.force_login(cast.student)
    url = reverse("portfolios:attendance-remove", kwargs={"pk": mine.pk, "day_pk": theirs.pk})
    assert client.post(url).status_code == 404
    assert cast.placement.attendance.exists()


@pytest.mark.parametrize("day_pk", ["0", "99999999999999999999999"])
def test_an_unknown_day_is_not_found(client, cast, day_pk):
    client.force_login(cast.student)
    url = f"{page_url(cast.placement)}{day_pk}/remove/"
    assert client.post(url).status_code == 404


def test_a_placement_no_longer_active_takes_no_new_days(client, cast):
    Placement.objects.filter(pk=cast.placement.pk).update(status=Placement.Status.DEFERRED)
    client.force_login(cast.student)
    html = html_of(client.get(page_url(cast.placement)))
    assert "Add this day" not in html
    assert "only change while the placement is active" in html
    response = client.post(page_url(cast.placement), day_form(last_monday()))
    assert response.status_code == 200
    assert (
        "only change while the placement is active"
        in response.context["form"].non_field_errors()[0]
    )
    assert not cast.placement.attendance.exists()


def test_the_date_picker_offers_only_the_placements_past_days(client, cast):
    client.force_login(cast.student)
    html = html_of(client.get(page_url(cast.placement)))
    assert f'min="{cast.placement.start_date.isoformat()}"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html


# --- The supervisor or educator confirms a week -------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "educator"])
def test_the_supervisor_or_educator_confirms_a_week_in_one_click(client, cast, who):
    record(cast, last_monday())
    record(cast, last_monday() + datetime.timedelta(days=1), portion=Portion.HALF)
    client.force_login(getattr(cast, who))
    html = html_of(client.get(page_url(cast.placement)))
    button = f"Confirm the week of {last_monday():%-d %b}"
    assert button in html
    assert "Add this day" not in html
    response = client.post(
        confirm_url(cast.placement), {"week_start": last_monday().isoformat()}, follow=True
    )
    assert response.redirect_chain == [(page_url(cast.placement), 302)]
    assert any("confirmed 2 days" in m for m in messages_of(response))
    cast.placement.refresh_from_db()
    assert cast.placement.days_completed == Decimal("1.5")
    html = html_of(response)
    assert f"<strong>1.5</strong> of {cast.placement.required_days} required days" in html
    assert button not in html
    assert "Week confirmed" in html


def test_whole_days_completed_show_without_a_decimal_point(client, cast):
    record(cast, last_monday())
    confirm(cast)
    client.force_login(cast.tutor)
    html = html_of(client.get(page_url(cast.placement)))
    assert f"<strong>1</strong> of {cast.placement.required_days}" in html
    assert f"1/{cast.placement.required_days} days" in html
    assert "1.0" not in html


def test_confirming_a_week_with_nothing_to_confirm_says_so(client, cast):
    client.force_login(cast.supervisor)
    response = client.post(
        confirm_url(cast.placement), {"week_start": last_monday().isoformat()}, follow=True
    )
    assert any("no unconfirmed days in the week of" in m for m in messages_of(response))


@pytest.mark.parametrize("week_start", ["", "soon", "2024-13-01"])
def test_a_garbled_week_is_refused_without_an_error_page(client, cast, week_start):
    record(cast, last_monday())
    client.force_login(cast.supervisor)
    response = client.post(confirm_url(cast.placement), {"week_start": week_start}, follow=True)
    assert response.status_code == 200
    assert any("could not be confirmed" in m for m in messages_of(response))
    assert not cast.placement.attendance.get().is_confirmed


@pytest.mark.parametrize("week_start", ["9999-12-31", "0001-01-01"])
def test_a_week_outside_the_placement_is_refused_without_an_error_page(client, cast, week_start):
    record(cast, last_monday())
    client.force_login(cast.supervisor)
    response = client.post(confirm_url(cast.placement), {"week_start": week_start}, follow=True)
    assert response.status_code == 200
    assert any("outside the placement" in m for m in messages_of(response))
    assert not cast.placement.attendance.get().is_confirmed


def test_a_day_waiting_over_two_weeks_is_marked(client, cast):
    record(cast, timezone.localdate() - datetime.timedelta(days=15))
    record(cast, timezone.localdate())
    client.force_login(cast.educator)
    html = html_of(client.get(page_url(cast.placement)))
    assert html.count("Waiting over two weeks") == 1


# --- Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_tutor_coordinator_and_panel_read_the_log_but_change_nothing(client, cast, who):
    day = record(cast, last_monday())
    client.force_login(getattr(cast, who))
    response = client.get(page_url(cast.placement))
    assert response.status_code == 200
    html = html_of(response)
    assert f"{last_monday():%a %-d %b}" in html
    assert "Add this day" not in html
    assert "Confirm the week" not in html
    assert remove_url(day) not in html
    assert client.post(page_url(cast.placement), day_form(last_monday())).status_code == 403
    assert client.post(remove_url(day)).status_code == 403
    week = {"week_start": last_monday().isoformat()}
    assert client.post(confirm_url(cast.placement), week).status_code == 403
    assert cast.placement.attendance.get().confirmed_at is None


@pytest.mark.parametrize("who", ["educator", "supervisor"])
def test_the_supervisor_and_educator_cannot_add_or_remove_days(client, cast, who):
    day = record(cast, last_monday())
    client.force_login(getattr(cast, who))
    assert client.post(page_url(cast.placement), day_form(last_monday())).status_code == 403
    assert client.post(remove_url(day)).status_code == 403
    assert cast.placement.attendance.exists()


def test_the_student_cannot_confirm_their_own_days(client, cast):
    record(cast, last_monday())
    client.force_login(cast.student)
    assert "Confirm the week" not in html_of(client.get(page_url(cast.placement)))
    week = {"week_start": last_monday().isoformat()}
    assert client.post(confirm_url(cast.placement), week).status_code == 403
    assert not cast.placement.attendance.get().is_confirmed


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_finds_no_attendance_page(client, cast, who):
    day = record(cast, last_monday())
    client.force_login(getattr(cast, who))
    assert client.get(page_url(cast.placement)).status_code == 404
    assert client.post(page_url(cast.placement), day_form(last_monday())).status_code == 404
    assert client.post(remove_url(day)).status_code == 404
    week = {"week_start": last_monday().isoformat()}
    assert client.post(confirm_url(cast.placement), week).status_code == 404
    assert cast.placement.attendance.get().confirmed_at is None


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    url = page_url(cast.placement)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("name", ["attendance-confirm", "attendance-remove"])
def test_the_buttons_take_no_get(client, cast, name):
    day = record(cast, last_monday())
    kwargs = {"pk": cast.placement.pk}
    if name == "attendance-remove":
        kwargs["day_pk"] = day.pk
    client.force_login(cast.student)
    assert client.get(reverse(f"portfolios:{name}", kwargs=kwargs)).status_code == 405


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor"])
def test_the_page_runs_the_same_queries_for_a_week_or_ten(
    client, cast, django_assert_num_queries, who
):
    """Each row shows who confirmed it, so a query per row would show."""

    def add_weeks(first: int, last: int) -> None:
        for week in range(first, last):
            monday = last_monday() - datetime.timedelta(weeks=week)
            for offset in range(3):
                record(cast, monday + datetime.timedelta(days=offset))
            confirm(cast, monday)
            record(cast, monday + datetime.timedelta(days=4))

    add_weeks(0, 1)
    client.force_login(getattr(cast, who))
    client.get(page_url(cast.placement))
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(cast.placement))
    add_weeks(1, 8)
    with django_assert_num_queries(len(few)):
        response = client.get(page_url(cast.placement))
    assert html_of(response).count("Confirmed</span>") == 24


# --- The tutor's dashboard ---------------------------------------------------------------------


def days_back(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def flags_of(client, cast) -> tuple[bool, bool]:
    client.force_login(cast.tutor)
    html = html_of(client.get(COHORT_DASHBOARD))
    return "More than 5 days absent" in html, "Days unconfirmed over 2 weeks" in html


def test_the_tutor_is_shown_more_than_five_days_absent(client, cast):
    for n in range(1, 6):
        record(cast, days_back(n), kind=Kind.ABSENCE, reason="Ill")
    confirm_all(cast)
    assert flags_of(client, cast) == (False, False)
    record(cast, days_back(6), portion=Portion.HALF, kind=Kind.ABSENCE, reason="Ill")
    assert flags_of(client, cast) == (True, False)
    html = html_of(client.get(COHORT_DASHBOARD))
    assert f'href="{page_url(cast.placement)}">More than 5 days absent' in html


def test_the_tutor_is_shown_days_left_unconfirmed_over_two_weeks(client, cast):
    record(cast, days_back(14))
    assert flags_of(client, cast) == (False, False)
    record(cast, days_back(15))
    assert flags_of(client, cast) == (False, True)
    confirm_all(cast)
    assert flags_of(client, cast) == (False, False)


def test_a_placement_no_longer_active_is_not_flagged(client, cast):
    record(cast, days_back(20))
    Placement.objects.filter(pk=cast.placement.pk).update(status=Placement.Status.DEFERRED)
    assert flags_of(client, cast) == (False, False)


def test_the_tutors_dashboard_stays_constant_with_flags(client, cast, django_assert_num_queries):
    def flagged() -> None:
        placement = factories.PlacementFactory(tutor=cast.tutor, programme=cast.programme)
        AttendanceDay.objects.create(
            placement=placement, date=days_back(20), recorded_by=placement.student
        )

    flagged()
    client.force_login(cast.tutor)
    client.get(COHORT_DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        client.get(COHORT_DASHBOARD)
    for _ in range(5):
        flagged()
    with django_assert_num_queries(len(few)):
        html = html_of(client.get(COHORT_DASHBOARD))
    assert html.count("Days unconfirmed over 2 weeks") == 6
