"""Every named URL, as every kind of user, answers as the table says.

The URL names come from the URL configuration itself, so a new page that is not in the table
fails here, naming it, until someone writes down who may see it. One world (a placement with
one of everything its pages need) is built once for the module; each test runs in its own
transaction inside it.
"""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.invitations import invitations_send
from accounts.models import Invitation
from accounts.roles import Role
from assessments import services as review_services
from assessments.models import (
    Concern,
    Judgement,
    LearningNeed,
    Review,
    ShareLink,
    SignedReport,
    Strength,
    Suitability,
)
from portfolios import services
from portfolios.models import (
    AttendanceDay,
    CohortUpload,
    Evidence,
    EvidenceFile,
    FeedbackRequest,
    LearningAgreement,
    Placement,
)
from portfolios.services.evidence import MappingInput
from tests import factories
from tests.assessments import builders
from tests.conftest import Cast

# Public by design, or not ours to test: each with the reason it is left out.
SKIPPED = {
    "admin:*": "Django's admin: staff only, guarded by the admin site itself (tests/test_admin.py)",
    "accounts:password-reset": "public by design: anyone may ask for a reset link",
    "accounts:password-reset-done": "public by design: the 'link sent' page",
    "accounts:password-reset-confirm": "public by design: guarded by the one-time token",
    "accounts:password-reset-complete": "public by design: the 'password changed' page",
}

USERS = (
    "anonymous",
    "student",
    "other_student",
    "educator",
    "other_educator",
    "supervisor",
    "tutor",
    "other_coordinator",
    "panel",
    "admin",
)

OK, FOUND, NO, GONE, NA = 200, 302, 403, 404, 405  # NO: forbidden; GONE: not found
EXPLAINED = 410  # a public link that no longer opens anything, with a page saying why
LOGIN = "302 to login"
POST_ONLY = "POST only"  # GET answers 405 to everyone; strangers' POSTs are checked below

# URL name: the answer to a GET, for each user in USERS order
#   anonymous, student, other student, educator, other educator, supervisor, tutor,
#   other university's coordinator, panel member, administrator
# Read with the world below in mind: the final review is a draft (a student sees a review
# only once it is signed, so GONE); the evidence edited and submitted is a draft (its writer's
# own, so GONE to everyone else); the learning agreement is signed (editing it redirects to
# amending, FOUND).
TABLE: dict[str, tuple | str] = {
    "accounts:login": (OK, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND),
    "accounts:logout": (NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),  # POST only; logs anyone out
    # Public by design: the link is the key; a signed-in visitor sees the same page.
    "accounts:invitation-accept": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "accounts:invitation-renew": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "accounts:password-change": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "accounts:password-change-done": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "notifications:preferences": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # A student is not yet a registered social worker: no professional details to record.
    "accounts:professional-details": (LOGIN, NO, NO, OK, OK, OK, OK, OK, OK, NO),
    "assessments:cohort-outcomes-csv": (LOGIN, NO, NO, NO, NO, NO, OK, OK, OK, OK),
    # No ratified report in the world: back to the cohort page with a sentence saying so.
    "assessments:cohort-reports-zip": (LOGIN, NO, NO, NO, NO, NO, FOUND, FOUND, FOUND, FOUND),
    "assessments:concern-create": (LOGIN, NO, GONE, OK, GONE, NO, OK, GONE, NO, OK),
    "assessments:concern-detail": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    # The student's own, from a ratified final review; here the final review is a draft.
    "assessments:development-summary": (LOGIN, GONE, GONE, NO, GONE, NO, NO, GONE, NO, NO),
    "assessments:learning-need-remove": POST_ONLY,
    "assessments:judgement-edit": (LOGIN, GONE, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "assessments:placement-reviews": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "assessments:report-download": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "assessments:review-acknowledge": (LOGIN, GONE, GONE, NO, GONE, NO, NO, GONE, NO, NO),
    "assessments:review-amend": POST_ONLY,
    "assessments:review-comment": POST_ONLY,
    "assessments:panel-meeting": (LOGIN, NO, NO, NO, NO, NO, NO, NO, OK, OK),
    "assessments:panel-meeting-create": (LOGIN, NO, NO, NO, NO, NO, NO, NO, OK, OK),
    "assessments:panel-meeting-csv": (LOGIN, NO, NO, NO, NO, NO, NO, NO, OK, OK),
    "assessments:panel-queue": (LOGIN, NO, NO, NO, NO, NO, NO, NO, OK, OK),
    "assessments:panel-sample-draw": POST_ONLY,
    # The final review is a draft: nothing waits at these steps, so their people are sent back
    # to the review (FOUND); anyone else who can see it is refused.
    "assessments:review-countersign": (LOGIN, GONE, GONE, NO, GONE, NO, FOUND, GONE, NO, FOUND),
    "assessments:review-detail": (LOGIN, GONE, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "assessments:review-history": (LOGIN, GONE, GONE, OK, GONE, NO, OK, GONE, NO, OK),
    "assessments:review-outcome": (LOGIN, GONE, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "assessments:review-ratify": (LOGIN, GONE, GONE, NO, GONE, NO, NO, GONE, FOUND, NO),
    "assessments:review-report": (LOGIN, GONE, GONE, OK, GONE, NO, OK, GONE, NO, OK),
    "assessments:review-report-html": (LOGIN, GONE, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "assessments:review-return": (LOGIN, GONE, GONE, NO, GONE, NO, NO, GONE, FOUND, NO),
    "assessments:review-sign": (LOGIN, GONE, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "assessments:review-start": POST_ONLY,
    "assessments:self-assessment": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "assessments:share-link-revoke": POST_ONLY,
    "assessments:share-links": (LOGIN, GONE, GONE, NO, GONE, NO, NO, GONE, NO, NO),
    "assessments:strength-remove": POST_ONLY,
    "assessments:strengths-suitability": (LOGIN, GONE, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "assessments:suitability-remove": POST_ONLY,
    "assessments:supervisor-statement": (LOGIN, GONE, GONE, NO, GONE, OK, NO, GONE, NO, NO),
    "home": (LOGIN, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND),
    "portfolios:agreement-amend": POST_ONLY,
    "portfolios:agreement-detail": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:agreement-edit": (LOGIN, FOUND, GONE, FOUND, GONE, NO, NO, GONE, NO, FOUND),
    "portfolios:agreement-sign": POST_ONLY,
    "portfolios:attendance": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:attendance-confirm": POST_ONLY,
    "portfolios:attendance-remove": POST_ONLY,
    "portfolios:cohort-import": (LOGIN, NO, NO, NO, NO, NO, NO, OK, NO, OK),
    # The world's upload is its own coordinator's: nobody else may read or import it.
    "portfolios:cohort-import-preview": (LOGIN, NO, NO, NO, NO, NO, NO, GONE, NO, GONE),
    "portfolios:cohort-import-template": (LOGIN, NO, NO, NO, NO, NO, NO, OK, NO, OK),
    "portfolios:confidential-names": (LOGIN, OK, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "portfolios:coverage": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:dashboard-cohort": (LOGIN, NO, NO, NO, NO, NO, OK, OK, OK, OK),
    "portfolios:dashboard-educator": (LOGIN, NO, NO, OK, OK, OK, NO, NO, NO, OK),
    "portfolios:dashboard-student": (LOGIN, OK, OK, NO, NO, NO, NO, NO, NO, OK),
    "portfolios:evidence-comment": POST_ONLY,
    "portfolios:evidence-create": (LOGIN, OK, GONE, NO, GONE, NO, NO, GONE, NO, OK),
    "portfolios:evidence-detail": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:evidence-file-delete": POST_ONLY,
    "portfolios:evidence-feedback-quote": POST_ONLY,
    "portfolios:evidence-file-download": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:evidence-list": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:evidence-review": POST_ONLY,
    "portfolios:evidence-submit": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "portfolios:evidence-update": (LOGIN, OK, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "portfolios:evidence-verify": POST_ONLY,
    "portfolios:feedback-give": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "portfolios:invitation-list": (LOGIN, NO, NO, NO, NO, NO, NO, OK, NO, OK),
    "portfolios:invitation-resend": POST_ONLY,
    "portfolios:invitation-revoke": POST_ONLY,
    "portfolios:feedback-requests": (LOGIN, OK, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "portfolios:observation-feedback": (LOGIN, NO, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "portfolios:placement-create": (LOGIN, NO, NO, NO, NO, NO, NO, OK, NO, OK),
    "portfolios:placement-detail": (LOGIN, OK, GONE, OK, GONE, OK, OK, GONE, OK, OK),
    "portfolios:placement-transition": POST_ONLY,
    # The placement is active, so its coordinator would read "nothing to reopen".
    "portfolios:placement-write-reopen": (LOGIN, NO, GONE, NO, GONE, NO, NO, GONE, NO, NO),
    "portfolios:placement-update": (LOGIN, NO, GONE, NO, GONE, NO, NO, GONE, NO, OK),
    "portfolios:supervision-confirm": POST_ONLY,
    "portfolios:supervision-create": (LOGIN, NO, GONE, OK, GONE, NO, NO, GONE, NO, OK),
    "verify": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # Public links; the world's link is on a review that is not a ratified final one, so the
    # page explains that it no longer opens anything, and the PDF sends you to that page.
    "shared-summary": (EXPLAINED,) * 10,
    "shared-summary-pdf": (FOUND,) * 10,
}

# Strangers to the placement: each must get 404 wherever the placement's objects are named.
STRANGERS = ("other_student", "other_educator", "other_coordinator")


def named_urls(resolver=None, namespace: str = ""):
    """The name of every named pattern, namespaced as reverse() wants it."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def skipped(name: str) -> bool:
    return name in SKIPPED or f"{name.split(':')[0]}:*" in SKIPPED


CHECKED = sorted({name for name in named_urls() if not skipped(name)})


class World:
    """One placement with one of everything its pages show, and a user of every kind."""

    def __init__(self):
        cast = Cast()
        self.clients: dict[str, Client] = {}
        self.users = {
            "student": cast.student,
            "other_student": cast.other_student,
            "educator": cast.educator,
            "other_educator": cast.other_educator,
            "supervisor": cast.supervisor,
            "tutor": cast.tutor,
            "other_coordinator": cast.other_coordinator,
            "panel": cast.panel,
            "admin": factories.UserFactory(is_staff=True, is_superuser=True),
        }
        self.placement = placement = cast.placement
        domain = placement.framework.domains.get(order=1)
        self.midpoint = builders.signed(placement, Review.Kind.MIDPOINT)
        review_services.review_acknowledge(actor=cast.student, review=self.midpoint)
        self.review = builders.start(placement, Review.Kind.FINAL)
        self.strength = Strength.objects.create(review=self.review, text="Listens well.")
        self.need = LearningNeed.objects.create(
            review=self.review, area="Court skills", development="Write a statement for court."
        )
        self.share_token = "a-token-for-the-permission-table"
        self.share_link = ShareLink.objects.create(
            review=self.midpoint,
            created_by=cast.student,
            token_hash=hashlib.sha256(self.share_token.encode()).hexdigest(),
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
        self.suitability = Suitability.objects.create(
            review=self.review,
            practice_area=factories.PracticeAreaFactory(),
            rating=Suitability.Rating.NOT_OBSERVED,
        )
        pdf = b"%PDF-1.4 a stored report"
        self.report = SignedReport(
            review=self.midpoint,
            version=1,
            event=SignedReport.Event.SIGNED,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            verification_code="ABCD-EFGH",
        )
        self.report.pdf.save("report.pdf", ContentFile(pdf))
        self.submitted = self._evidence(domain, submit=True)
        self.draft = self._evidence(domain, submit=False)
        self.observation = builders.observation(placement)
        self.supervision = services.supervision_record_create(
            actor=cast.educator,
            placement=placement,
            practice_date=builders.days_ago(2),
            attendees="The student and their educator",
        )
        self.concern = review_services.concern_raise(
            actor=cast.educator,
            placement=placement,
            description="Records are late.",
            review_date=builders.days_ahead(14),
            targets={domain: "Write up each visit within two days."},
        )
        _, self.token = services.feedback_request_create(
            actor=cast.student, placement=placement, work_description="A home visit"
        )
        self.agreement = builders.agreement(placement)
        self.upload = CohortUpload(
            university=placement.programme.university,
            uploaded_by=cast.coordinator,
            original_name="cohort.csv",
            sha256=hashlib.sha256(b"student_email\n").hexdigest(),
        )
        self.upload.file.save("cohort.csv", ContentFile(b"student_email\n"), save=False)
        self.upload.save()
        invitee = factories.EducatorFactory(password=None)
        [self.invitation] = invitations_send(
            people=[(invitee, Role.EDUCATOR)], invited_by=cast.coordinator
        )
        # A live link: everyone, signed in or not, sees the page that sets its password.
        self.invitation_token = "a-token-made-for-the-table"
        Invitation.objects.filter(pk=self.invitation.pk).update(
            token_hash=hashlib.sha256(self.invitation_token.encode()).hexdigest()
        )
        self.meeting = builders.meeting(placement, cast.panel)
        self.day = services.attendance_record(
            actor=cast.student,
            placement=placement,
            date=_a_weekday_before(datetime.date.today()),
            portion=AttendanceDay.Portion.FULL,
            kind=AttendanceDay.Kind.PLACEMENT,
        )

    def _evidence(self, domain, *, submit: bool) -> Evidence:
        item = services.evidence_create(
            actor=self.placement.student,
            placement=self.placement,
            kind=Evidence.Kind.CRITICAL_REFLECTION,
            title="Notes from a visit",
            practice_date=builders.days_ago(3),
            mappings=[MappingInput(domain, "It shows this.")],
            files=[SimpleUploadedFile("notes.txt", b"Notes written the same afternoon.\n")],
        )
        if submit:
            item = services.evidence_submit(actor=self.placement.student, evidence=item)
        return item

    def fingerprint(self) -> dict:
        """What a refused request must leave exactly as it was."""
        rows = {
            "placement": Placement.objects.values_list("pk", "status", "updated_at"),
            "evidence": Evidence.objects.values_list("pk", "status", "updated_at", "locked_at"),
            "files": EvidenceFile.objects.values_list("pk"),
            "reviews": Review.objects.values_list("pk", "status", "updated_at"),
            "judgements": Judgement.objects.values_list("pk", "updated_at"),
            "strengths": Strength.objects.values_list("pk"),
            "suitability": Suitability.objects.values_list("pk"),
            "concerns": Concern.objects.values_list("pk", "outcome"),
            "agreements": LearningAgreement.objects.values_list("pk", "status"),
            "attendance": AttendanceDay.objects.values_list("pk", "confirmed_at"),
            "feedback": FeedbackRequest.objects.values_list("pk", "used_at"),
            "reports": SignedReport.objects.values_list("pk"),
            "invitations": Invitation.objects.values_list("pk", "revoked_at", "replaced_by"),
            "learning_needs": LearningNeed.objects.values_list("pk"),
            "share_links": ShareLink.objects.values_list("pk", "revoked_at"),
        }
        return {key: sorted(map(str, qs)) for key, qs in rows.items()}


def _a_weekday_before(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=3)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


KWARGS = {
    "home": lambda w: {},
    "verify": lambda w: {},
    "accounts:login": lambda w: {},
    "accounts:logout": lambda w: {},
    "accounts:password-change": lambda w: {},
    "accounts:password-change-done": lambda w: {},
    "notifications:preferences": lambda w: {},
    "accounts:professional-details": lambda w: {},
    "portfolios:dashboard-student": lambda w: {},
    "portfolios:dashboard-educator": lambda w: {},
    "portfolios:dashboard-cohort": lambda w: {},
    "portfolios:placement-create": lambda w: {},
    "portfolios:cohort-import": lambda w: {},
    "portfolios:cohort-import-template": lambda w: {},
    "portfolios:cohort-import-preview": lambda w: {"pk": w.upload.pk},
    "portfolios:invitation-list": lambda w: {},
    "portfolios:invitation-resend": lambda w: {"pk": w.invitation.pk},
    "portfolios:invitation-revoke": lambda w: {"pk": w.invitation.pk},
    "accounts:invitation-accept": lambda w: {"token": w.invitation_token},
    "accounts:invitation-renew": lambda w: {},
    "portfolios:feedback-give": lambda w: {"token": w.token},
    "portfolios:evidence-file-download": lambda w: {"pk": w.submitted.files.get().pk},
    "portfolios:evidence-file-delete": lambda w: {"pk": w.draft.files.get().pk},
    "portfolios:evidence-update": lambda w: {"pk": w.draft.pk},
    "portfolios:evidence-submit": lambda w: {"pk": w.draft.pk},
    "portfolios:observation-feedback": lambda w: {"pk": w.observation.pk},
    "portfolios:supervision-confirm": lambda w: {"pk": w.supervision.pk},
    "portfolios:attendance-remove": lambda w: {"pk": w.placement.pk, "day_pk": w.day.pk},
    "assessments:self-assessment": lambda w: {"pk": w.placement.pk, "kind": "final"},
    "assessments:judgement-edit": lambda w: {"pk": w.review.pk, "order": 1},
    "assessments:strength-remove": lambda w: {"pk": w.strength.pk},
    "assessments:suitability-remove": lambda w: {"pk": w.suitability.pk},
    "assessments:concern-detail": lambda w: {"pk": w.concern.pk},
    "assessments:report-download": lambda w: {"pk": w.report.pk},
    "assessments:cohort-reports-zip": lambda w: {},
    "assessments:cohort-outcomes-csv": lambda w: {},
    "assessments:panel-queue": lambda w: {},
    "assessments:panel-meeting-create": lambda w: {},
    "assessments:panel-meeting": lambda w: {"pk": w.meeting.pk},
    "assessments:panel-meeting-csv": lambda w: {"pk": w.meeting.pk},
    "assessments:panel-sample-draw": lambda w: {"pk": w.meeting.pk},
    "assessments:learning-need-remove": lambda w: {"pk": w.need.pk},
    "assessments:share-link-revoke": lambda w: {"pk": w.share_link.pk},
    "shared-summary": lambda w: {"token": w.share_token},
    "shared-summary-pdf": lambda w: {"token": w.share_token},
}


def kwargs_for(name: str, world: World) -> dict:
    if name in KWARGS:
        return KWARGS[name](world)
    path = reverse(name, kwargs={"pk": "00000000-0000-0000-0000-000000000000"})
    if "/placements/" in path:
        return {"pk": world.placement.pk}
    if "/evidence/" in path:
        return {"pk": world.submitted.pk}
    if "/reviews/" in path:
        return {"pk": world.review.pk}
    raise AssertionError(f"No kwargs known for {name}")


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    return response.status_code


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, media):
    """The world's files live for the whole module, so every test reads the same folder."""
    settings.MEDIA_ROOT = media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media):
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        built = World()
        for who in USERS:
            client_for(built, who)
        yield built
        transaction.set_rollback(True)


def client_for(world: World, who: str) -> Client:
    """One signed-in client per kind of user for the whole module. A 500 is an answer the
    table can name, not an exception that stops the comparison."""
    if who not in world.clients:
        client = Client(raise_request_exception=False)
        if who != "anonymous":
            client.force_login(world.users[who])
        world.clients[who] = client
    return world.clients[who]


def test_the_walk_finds_the_pages_of_every_app():
    assert {
        "home",
        "accounts:login",
        "portfolios:placement-detail",
        "assessments:review-sign",
    } <= set(CHECKED)


def test_the_table_names_no_url_that_no_longer_exists():
    assert sorted(set(TABLE) - set(CHECKED)) == []


@pytest.mark.parametrize("name", CHECKED)
def test_each_url_answers_every_kind_of_user_as_the_table_says(world, db, name):
    assert name in TABLE, (
        f"{name} is not in the permission table in {__name__}: add a row saying what each "
        "kind of user gets, or list it in SKIPPED with the reason."
    )
    expected = (405,) * len(USERS) if TABLE[name] == POST_ONLY else TABLE[name]
    url = reverse(name, kwargs=kwargs_for(name, world))
    answers = tuple(outcome(client_for(world, who).get(url)) for who in USERS)
    wrong = [
        f"{who}: expected {want}, got {got}"
        for who, want, got in zip(USERS, expected, answers, strict=True)
        if want != got
    ]
    assert not wrong, f"GET {url} ({name}):\n" + "\n".join(wrong)


POST_ONLY_NAMES = [name for name in CHECKED if TABLE.get(name) == POST_ONLY]


@pytest.mark.parametrize("name", POST_ONLY_NAMES)
def test_a_post_from_a_stranger_is_refused_and_changes_nothing(world, db, name):
    url = reverse(name, kwargs=kwargs_for(name, world))
    before = world.fingerprint()
    data = {"reason": "Because.", "text": "A comment.", "kind": "final", "to_status": "terminated"}
    for who in STRANGERS:
        response = client_for(world, who).post(url, data)
        assert outcome(response) == GONE, f"POST {url} ({name}) as {who}"
    assert outcome(client_for(world, "anonymous").post(url, data)) == LOGIN
    assert world.fingerprint() == before
