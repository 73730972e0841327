"""The outcomes CSV gives each placement's days completed, counted from the confirmed
attendance log and written as a person would: 35, or 35.5 with a half day."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import AttendanceDay

CSV = reverse("assessments:cohort-outcomes-csv")


def csv_rows(client) -> list[dict[str, str]]:
    response = client.get(CSV)
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_csv_gives_confirmed_days_completed_and_days_required(client, cast):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    for offset, portion in [(0, "full"), (1, "full"), (2, "half")]:
        services.attendance_record(
            actor=cast.student,
            placement=cast.placement,
            date=monday + datetime.timedelta(days=offset),
            portion=portion,
            kind=AttendanceDay.Kind.PLACEMENT,
        )
    client.force_login(cast.coordinator)
    (row,) = csv_rows(client)
    assert (row["Days completed"], row["Days required"]) == ("0", "100")

    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=monday
    )
    (row,) = csv_rows(client)
    assert row["Days completed"] == "2.5"
    # A confirmed day never changes; a day recorded later counts once it is confirmed.
    services.attendance_record(
        actor=cast.student,
        placement=cast.placement,
        date=monday + datetime.timedelta(days=3),
        portion="half",
        kind=AttendanceDay.Kind.PLACEMENT,
    )
    (row,) = csv_rows(client)
    assert row["Days completed"] == "2.5"
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=monday
    )
    (row,) = csv_rows(client)
    assert row["Days completed"] == "3"
