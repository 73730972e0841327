"""Reading a cohort CSV and planning its import, without writing anything.

`plan_import` turns the file's bytes into an `ImportPlan`: every error by row and column
(rows numbered as a spreadsheet numbers them: the header is row 1), the placements to create,
the rows already imported, and the people who need an account. It reads the database in a
fixed number of queries whatever the file's length: people, their roles, programmes,
practice areas and existing placements are each fetched once, in bulk.

Why not django-import-export or tablib: import-export previews by running each row's writes
and rolling them back (a query count that grows with the file), and maps one model per row,
where our row names up to four people and a placement made by `placement_create`. tablib
reads CSV with the standard library's reader but drops blank lines, so its row numbers drift
from the spreadsheet's, and refuses an over-long row without saying which. So the standard
library's `csv` reads the records and a Django form per row checks each value.
"""

import codecs
import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.db.models.functions import Lower

from accounts.models import User
from accounts.roles import Role
from portfolios.models import Placement, PracticeArea, Programme, University

COLUMNS = (
    "student_email",
    "student_name",
    "student_number",
    "educator_email",
    "educator_name",
    "supervisor_email",
    "supervisor_name",
    "tutor_email",
    "programme",
    "stage",
    "setting",
    "practice_area",
    "start_date",
    "end_date",
    "required_days",
)
EXAMPLE_ROW = (
    "amara.osei@student.example.ac.uk",
    "Amara Osei",
    "NB2026001",
    "helen.marsh@example.org",
    "Helen Marsh",
    "",
    "",
    "ruth.adeyemi@example.ac.uk",
    "Social Work",
    "final",
    "Northbridge Adults' Community Team",
    "adult-social-care",
    "2027-01-11",
    "31/05/2027",
    "100",
)
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Addresses looked up per query: well under SQLite's and PostgreSQL's parameter limits, so a
# file of 10,000 rows (up to 40,000 addresses) needs at most two.
LOOKUP_CHUNK = 30_000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A person column holds one of these roles; `student` is the one a learner holds.
PERSON_COLUMNS = {
    "student": Role.STUDENT,
    "educator": Role.EDUCATOR,
    "supervisor": Role.SUPERVISOR,
    "tutor": Role.TUTOR,
}
# Roles that may fill each part, as placement_create checks them.
ACCEPTED_ROLES = {
    "student": {Role.STUDENT},
    "educator": {Role.EDUCATOR},
    "supervisor": {Role.SUPERVISOR, Role.EDUCATOR},
    "tutor": {Role.TUTOR},
}
ROLE_WORDS = {
    "student": "a student",
    "educator": "a practice educator",
    "supervisor": "an on-site supervisor",
    "tutor": "a tutor",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing row by row is worth saying."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        column = f"{self.column}: " if self.column else ""
        return f"row {self.row}: {column}{self.message}"


@dataclass
class NewPerson:
    email: str
    first_name: str
    last_name: str
    student_number: str = ""
    roles: set[str] = field(default_factory=set)


@dataclass
class PlannedRow:
    row: int
    data: dict
    ok: bool = True
    exists: bool = False


@dataclass
class ImportPlan:
    university: University
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_people: dict[str, NewPerson] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    encoding: str = ""

    @property
    def to_create(self) -> list[PlannedRow]:
        return [r for r in self.rows if not r.exists]

    @property
    def already_imported(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.exists]


class CohortRowForm(forms.Form):
    """The fields of one row, each checked on its own. Rows are cleaned with these field
    objects directly (`clean_row`): building a whole form per row copies every field, which
    for 10,000 rows costs more than all the checking."""

    student_email = forms.EmailField(max_length=254)
    student_name = forms.CharField(max_length=150)
    student_number = forms.CharField(max_length=40)
    educator_email = forms.EmailField(max_length=254)
    educator_name = forms.CharField(max_length=150)
    supervisor_email = forms.EmailField(max_length=254, required=False)
    supervisor_name = forms.CharField(max_length=150, required=False)
    tutor_email = forms.EmailField(max_length=254)
    programme = forms.CharField(max_length=200)
    stage = forms.ChoiceField(choices=Placement.Stage.choices)
    setting = forms.CharField(max_length=200)
    practice_area = forms.CharField(max_length=120)
    start_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    end_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    required_days = forms.IntegerField(min_value=1, max_value=365)


def _plain_messages(fields: dict[str, forms.Field]) -> None:
    days = "Required days must be between 1 and 365."
    for f in fields.values():
        f.error_messages["required"] = "This is empty; it must be filled in."
        if isinstance(f, forms.EmailField):
            f.error_messages["invalid"] = "This is not an email address."
        elif isinstance(f, forms.DateField):
            f.error_messages["invalid"] = "Write dates as 2027-01-31 or 31/01/2027."
        elif isinstance(f, forms.ChoiceField):
            f.error_messages["invalid_choice"] = "Write first or final."
        elif isinstance(f, forms.IntegerField):
            f.error_messages.update(
                invalid="Write a whole number of days.", min_value=days, max_value=days
            )
        if isinstance(f, forms.CharField) and f.max_length:
            f.error_messages["max_length"] = f"This is too long: {f.max_length} characters at most."


ROW_FIELDS = CohortRowForm.base_fields
_plain_messages(ROW_FIELDS)


_ERROR = object()


def clean_row(
    values: dict[str, str], seen: dict | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """The row's cleaned values, and its errors by column. `seen` remembers each (column,
    value) already checked: a cohort names the same educators, tutor, programme and dates on
    row after row, and Django's email and date checks are most of a preview's time."""
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    seen = {} if seen is None else seen
    for name, f in ROW_FIELDS.items():
        value = values.get(name, "")
        known = seen.get((name, value))
        if known is None:
            try:
                known = (f.clean(value), None)
            except forms.ValidationError as error:
                known = (_ERROR, error.messages)
            seen[(name, value)] = known
        if known[0] is _ERROR:
            errors[name] = known[1]
        else:
            cleaned[name] = known[0]
    for part in PERSON_COLUMNS:
        if cleaned.get(f"{part}_email"):
            cleaned[f"{part}_email"] = cleaned[f"{part}_email"].lower()
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append("The end date is before the start date.")
    if cleaned.get("supervisor_name") and not cleaned.get("supervisor_email"):
        errors.setdefault("supervisor_email", []).append(
            "A supervisor is named but has no email address."
        )
    student = cleaned.get("student_email")
    for part in ("educator", "supervisor", "tutor"):
        if student and cleaned.get(f"{part}_email") == student:
            errors.setdefault(f"{part}_email", []).append(
                f"This is the student's own address: a student cannot be {ROLE_WORDS[part]} "
                "on their own placement."
            )
    return cleaned, errors


# --- Reading the file ------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read as: UTF-8 with or without a byte-order
    mark, UTF-16 (with a mark, as Excel's "Unicode text" saves it), else Windows-1252 or
    Latin-1 (older Excel "CSV" on Windows). Tried in that order; Latin-1 reads any bytes."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8 (with BOM)")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", "UTF-16")
    for encoding, label in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(encoding), label
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


def _strict(raw: bytes, encoding: str, label: str) -> tuple[str, str]:
    try:
        return raw.decode(encoding), label
    except UnicodeDecodeError:
        raise ImportFileError(
            f"The file says it is {label} but is not: save it again as CSV UTF-8."
        ) from None


def read_records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each non-blank record with its spreadsheet row number. A cell with a
    line break inside quotes is one row, as in a spreadsheet."""
    if "\x00" in text:
        raise ImportFileError("The file contains null characters: it is not a CSV text file.")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportFileError(
            f"The file could not be read as CSV near row {reader.line_num}: {error}."
        ) from None
    if not records:
        raise ImportFileError("The file is empty.")
    header = [cell.strip().lower() for cell in records[0]]
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"The file has {len(rows):,} rows; import at most {MAX_ROWS:,}.")
    return header, rows


def check_header(header: list[str]) -> list[RowError]:
    errors = []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        errors.append(
            RowError(1, "", f"Missing column{'s' * (len(missing) > 1)}: {', '.join(missing)}.")
        )
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        errors.append(
            RowError(
                1,
                "",
                f"Unknown column{'s' * (len(unknown) > 1)}: {', '.join(unknown)}. "
                f"The columns are: {', '.join(COLUMNS)}.",
            )
        )
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        errors.append(RowError(1, "", f"Repeated column: {', '.join(repeated)}."))
    return errors


# --- Planning ----------------------------------------------------------------------------------


def plan_import(*, raw: bytes, university: University) -> ImportPlan:
    """Everything the import would do, and every reason it cannot, without writing."""
    plan = ImportPlan(university=university)
    if len(raw) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    text, plan.encoding = decode(raw)
    header, records = read_records(text)
    plan.errors = check_header(header)
    if plan.errors:
        return plan
    if not records:
        raise ImportFileError("The file has a header but no rows.")
    width = len(header)
    seen: dict = {}
    for number, cells in records:
        row = _check_row(plan, number, header, width, cells, seen)
        if row is not None:
            plan.rows.append(row)
    _resolve(plan)
    plan.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return plan


def _check_row(
    plan: ImportPlan, number: int, header, width: int, cells, seen: dict
) -> PlannedRow | None:
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        plan.errors.append(
            RowError(number, "", f"This row has {len(cells)} cells but the header has {width}.")
        )
        return None
    values = dict(zip(header, (c.strip() for c in cells), strict=False))
    flagged = set()
    for column in COLUMNS:
        value = values.get(column, "")
        if value.startswith(FORMULA_STARTS) or cells_raw_starts(cells, header, column):
            flagged.add(column)
            plan.errors.append(
                RowError(
                    number,
                    column,
                    f"Starts with “{value[:1] or 'a tab'}”, which a spreadsheet would run as a "
                    "formula. Remove that character (or the formula) and import again.",
                )
            )
    cleaned, errors = clean_row(values, seen)
    for column, messages in errors.items():
        if column not in flagged:  # a formula's own message says enough
            plan.errors.extend(RowError(number, column, m) for m in messages)
    # Rows with an error are still checked against the database, so every error is listed.
    return PlannedRow(row=number, data=cleaned, ok=not errors and not flagged)


def cells_raw_starts(cells, header, column) -> bool:
    """A tab or carriage return at the very start is stripped with the spaces, so look at the
    cell as written too."""
    index = header.index(column)
    return index < len(cells) and cells[index][:1] in ("\t", "\r")


def _resolve(plan: ImportPlan) -> None:
    """Check the rows against each other and against the database, in bulk."""
    university = plan.university
    programmes = {p.name.casefold(): p for p in Programme.objects.filter(university=university)}
    areas: dict[str, PracticeArea] = {}
    for area in PracticeArea.objects.all():
        areas[area.code.casefold()] = area
        areas.setdefault(area.name.casefold(), area)
    emails = {
        row.data[f"{part}_email"]
        for row in plan.rows
        for part in PERSON_COLUMNS
        if row.data.get(f"{part}_email")
    }
    plan.people = users_by_email(emails)
    existing = _existing_placements(plan)
    seen: dict[tuple, int] = {}
    valid_rows = []
    for row in plan.rows:
        errors = _resolve_row(plan, row, programmes, areas)
        if row.ok and not errors:
            key = _key(row.data)
            if key in seen:
                errors.append(
                    RowError(
                        row.row,
                        "",
                        f"The same placement as row {seen[key]} (same student, "
                        "programme, stage and start date).",
                    )
                )
            else:
                seen[key] = row.row
                row.exists = key in existing
        plan.errors.extend(errors)
        if row.ok and not errors:
            valid_rows.append(row)
    plan.rows = valid_rows
    _plan_new_people(plan)


def _resolve_row(plan: ImportPlan, row: PlannedRow, programmes, areas) -> list[RowError]:
    data, errors = row.data, []
    programme = programmes.get(data.get("programme", "").casefold())
    if programme is None and data.get("programme"):
        names = ", ".join(sorted(p.name for p in programmes.values())) or "none yet"
        errors.append(
            RowError(
                row.row,
                "programme",
                f"No programme called “{data['programme']}” at "
                f"{plan.university.name}. Its programmes: {names}.",
            )
        )
    data["programme_obj"] = programme
    area = areas.get(data.get("practice_area", "").casefold())
    if area is None and data.get("practice_area"):
        errors.append(
            RowError(
                row.row,
                "practice_area",
                f"No area of practice called “"
                f"{data['practice_area']}”: use an area's name or code.",
            )
        )
    data["practice_area_obj"] = area
    for part in PERSON_COLUMNS:
        email = data.get(f"{part}_email")
        user = plan.people.get(email) if email else None
        if user is None:
            continue
        if not user.is_active:
            errors.append(
                RowError(
                    row.row,
                    f"{part}_email",
                    f"The account for {email} is "
                    "switched off; ask an administrator to switch it on.",
                )
            )
        elif not user.role_names() & {str(r) for r in ACCEPTED_ROLES[part]}:
            errors.append(
                RowError(
                    row.row,
                    f"{part}_email",
                    f"{email} has an account but is not "
                    f"registered as {ROLE_WORDS[part]}. Ask an administrator to add the "
                    "role, or use another address.",
                )
            )
    number = data.get("student_number")
    student = plan.people.get(data.get("student_email", ""))
    if student and student.student_number and number and student.student_number != number:
        errors.append(
            RowError(
                row.row,
                "student_number",
                f"{data['student_email']} has student number "
                f"{student.student_number} on record, not {number}.",
            )
        )
    return errors


def _key(data: dict) -> tuple:
    return (data["student_email"], data["programme_obj"].pk, data["stage"], data["start_date"])


def _existing_placements(plan: ImportPlan) -> set[tuple]:
    """(student email, programme, stage, start date) of the university's placements that
    start within the file's dates: one query, bounded by dates rather than a list of ids."""
    starts = [r.data["start_date"] for r in plan.rows if r.data.get("start_date")]
    if not starts:
        return set()
    rows = (
        Placement.objects.filter(
            programme__university=plan.university,
            start_date__range=(min(starts), max(starts)),
        )
        .annotate(student_email=Lower("student__email"))
        .values_list("student_email", "programme_id", "stage", "start_date")
    )
    return set(rows)


def _plan_new_people(plan: ImportPlan) -> None:
    """Who needs an account, with every role the file gives them and the first name seen."""
    for row in plan.rows:
        if row.exists:
            continue
        data = row.data
        for part, role in PERSON_COLUMNS.items():
            email = data.get(f"{part}_email")
            if not email or email in plan.people:
                continue
            person = plan.new_people.get(email)
            if person is None:
                first, last = split_name(data.get(f"{part}_name", ""))
                person = plan.new_people[email] = NewPerson(email, first, last)
            person.roles.add(str(role))
            if part == "student":
                person.student_number = person.student_number or data["student_number"]


def split_name(full: str) -> tuple[str, str]:
    parts = full.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1])[:150], parts[-1][:150]


def users_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Existing accounts by lower-case address, each with its roles already read, so
    `has_role` asks nothing more: two queries per LOOKUP_CHUNK addresses."""
    emails = sorted(emails)
    found: dict[str, User] = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start : start + LOOKUP_CHUNK]
        users = {u.pk: u for u in User.objects.filter(email__in=chunk)}
        roles: dict[int, set[str]] = defaultdict(set)
        through = User.groups.through.objects.filter(user_id__in=list(users))
        for user_id, name in through.values_list("user_id", "group__name"):
            roles[user_id].add(name)
        for pk, user in users.items():
            user._role_names = roles[pk]
            found[user.email.lower()] = user
    return found


def template_csv() -> str:
    """The header and one example row, for the coordinator to fill in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE_ROW)
    return out.getvalue()
