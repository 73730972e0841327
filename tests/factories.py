"""factory-boy factories shared by the tests and `manage.py seed_demo`.

Placements are built through `portfolios.services.placement_create` so that every placement
made here, in tests or in the demo, carries exactly the permissions a real one would.
"""

import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import Role
from portfolios import services
from portfolios.models import (
    CapabilityFramework,
    Domain,
    Evidence,
    Grade,
    GradingScale,
    Placement,
    PracticeArea,
    Programme,
    StudentLevel,
    University,
)

DEMO_PASSWORD = "practice-demo"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttributeSequence(
        lambda u, n: f"{u.first_name}.{u.last_name}.{n}@example.org".lower().replace(" ", "")
    )
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, create, extracted)


def _add_roles(user: User, create: bool, roles) -> None:
    if create and roles:
        user.groups.add(*(Group.objects.get_or_create(name=str(r))[0] for r in roles))
        user.__dict__.pop("_role_names", None)


def _role_user_factory(role: Role, **fields) -> type[UserFactory]:
    """A UserFactory whose users hold `role` unless the caller passes roles=[...]."""
    hook = factory.PostGeneration(
        lambda user, create, extracted, **kw: _add_roles(user, create, extracted or [role])
    )
    return type(f"{role.name.title()}Factory", (UserFactory,), {"roles": hook, **fields})


# What the final report prints about who was assessed and who assessed.
StudentFactory = _role_user_factory(
    Role.STUDENT, student_number=factory.Sequence(lambda n: f"{2400100 + n}")
)
EducatorFactory = _role_user_factory(
    Role.EDUCATOR,
    educator_stage="stage_2",
    registration_number=factory.Sequence(lambda n: f"SW{104200 + n}"),
)
SupervisorFactory = _role_user_factory(Role.SUPERVISOR)
TutorFactory = _role_user_factory(Role.TUTOR)
CoordinatorFactory = _role_user_factory(Role.COORDINATOR)
PanelMemberFactory = _role_user_factory(Role.PANEL)


class CapabilityFrameworkFactory(DjangoModelFactory):
    class Meta:
        model = CapabilityFramework
        django_get_or_create = ["code", "version"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"FW{n}")
    name = factory.LazyAttribute(lambda f: f"Test framework {f.code}")
    version = "1"
    domain_word = "domain"
    domain_word_plural = "domains"
    educator_title = "practice educator"

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        """Nine domains by default, as in the PCF and CSWE; pass domains=N for another count."""
        if not create or self.domains.exists():
            return
        count = 9 if extracted is None else extracted
        Domain.objects.bulk_create(
            Domain(framework=self, order=i, code=f"D{i}", name=f"Domain {i}")
            for i in range(1, count + 1)
        )
        StudentLevel.objects.bulk_create(
            [
                StudentLevel(
                    framework=self,
                    order=1,
                    code="EFP",
                    name="End of first placement",
                    assessed_at="first",
                ),
                StudentLevel(
                    framework=self,
                    order=2,
                    code="ELP",
                    name="End of last placement",
                    assessed_at="final",
                ),
            ]
        )


class GradingScaleFactory(DjangoModelFactory):
    class Meta:
        model = GradingScale
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"SCALE{n}")
    name = factory.LazyAttribute(lambda s: f"Scale {s.code}")
    pass_value = 3

    @factory.post_generation
    def grades(self, create, extracted, **kwargs):
        if not create or self.grades.exists():
            return
        labels = extracted or ["Not yet demonstrated", "Emerging", "Meets the level", "Exceeds"]
        Grade.objects.bulk_create(
            Grade(scale=self, value=i, code=f"g{i}", label=label)
            for i, label in enumerate(labels, start=1)
        )


class PracticeAreaFactory(DjangoModelFactory):
    class Meta:
        model = PracticeArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.LazyAttribute(lambda a: a.code.replace("-", " ").capitalize())


class UniversityFactory(DjangoModelFactory):
    class Meta:
        model = University
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"University of Testshire {n}")
    short_name = factory.LazyAttribute(lambda u: u.name.split()[-1])

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["university", "name"]

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"Social Work {n}")
    award = "MA"
    framework = factory.SubFactory(CapabilityFrameworkFactory)
    grading_scale = factory.SubFactory(GradingScaleFactory)


class PlacementFactory(DjangoModelFactory):
    """Builds a placement through the service, as a coordinator of its university would."""

    class Meta:
        model = Placement

    student = factory.SubFactory(StudentFactory)
    educator = factory.SubFactory(EducatorFactory)
    supervisor = None
    tutor = factory.SubFactory(TutorFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    setting_name = factory.Faker("company", locale="en_GB")
    practice_area = None
    stage = Placement.Stage.FINAL
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda p: p.start_date + datetime.timedelta(days=150))
    required_days = None
    status = Placement.Status.ACTIVE
    days_completed = 0

    @classmethod
    def _create(cls, model_class, *args, status=Placement.Status.ACTIVE, days_completed=0, **kw):
        coordinator = CoordinatorFactory()
        kw["programme"].university.members.add(coordinator)
        placement = services.placement_create(actor=coordinator, **kw)
        # Test data may start anywhere in the state machine; real placements move only
        # through services.placement_transition.
        Placement.objects.filter(pk=placement.pk).update(
            status=status, days_completed=days_completed
        )
        placement.status = status
        placement.days_completed = days_completed
        return placement


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    placement = factory.SubFactory(PlacementFactory)
    kind = Evidence.Kind.CRITICAL_REFLECTION
    title = factory.Faker("sentence", nb_words=5)
    practice_date = factory.LazyFunction(datetime.date.today)
    reflection = factory.Faker("paragraph", nb_sentences=4)
