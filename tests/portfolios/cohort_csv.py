"""Builders for cohort CSV files in the tests: a university with what a file names, and rows."""

import csv
import io

from accounts.roles import Role
from portfolios.cohort_import import COLUMNS
from tests import factories


class ImportWorld:
    """A university with a programme, its coordinator, an existing educator and tutor, and a
    practice area; plus another university's coordinator."""

    def __init__(self):
        self.university = factories.UniversityFactory(name="University of Northbridge")
        self.programme = factories.ProgrammeFactory(university=self.university, name="Social Work")
        self.coordinator = factories.CoordinatorFactory(email="coordinator@northbridge.example")
        self.university.members.add(self.coordinator)
        self.educator = factories.EducatorFactory(email="helen@example.org")
        self.tutor = factories.TutorFactory(email="ruth@northbridge.example")
        self.area = factories.PracticeAreaFactory(
            code="adult-social-care", name="Adult social care"
        )
        self.other_coordinator = factories.CoordinatorFactory()
        factories.UniversityFactory(members=[self.other_coordinator])

    def row(self, n: int = 1, **changes) -> dict:
        row = {
            "student_email": f"student{n}@student.example.ac.uk",
            "student_name": f"Student Number{n}",
            "student_number": f"NB{n:05d}",
            "educator_email": self.educator.email,
            "educator_name": "Helen Marsh",
            "supervisor_email": "",
            "supervisor_name": "",
            "tutor_email": self.tutor.email,
            "programme": "Social Work",
            "stage": "final",
            "setting": "Northbridge Adults' Team",
            "practice_area": "adult-social-care",
            "start_date": "2027-01-11",
            "end_date": "31/05/2027",
            "required_days": "100",
        }
        row.update(changes)
        return row


def csv_text(rows: list[dict], columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def csv_bytes(rows: list[dict], columns=COLUMNS, encoding: str = "utf-8") -> bytes:
    return csv_text(rows, columns).encode(encoding)


ROLE_NAMES = {str(r) for r in Role}
