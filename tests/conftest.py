import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories


def pytest_configure(config):
    # Fast, hermetic test settings on top of the one settings module.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # One empty folder, shared by every run: WhiteNoise only asks that it exists.
    static_root = Path(tempfile.gettempdir()) / "pp-test-static"
    static_root.mkdir(exist_ok=True)
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Cast:
    """The fixed cast of every placement test: a placement with its people, and strangers."""

    def __init__(self):
        self.university = factories.UniversityFactory()
        self.programme = factories.ProgrammeFactory(university=self.university)
        self.coordinator = factories.CoordinatorFactory()
        self.panel = factories.PanelMemberFactory()
        self.university.members.add(self.coordinator, self.panel)
        self.student = factories.StudentFactory()
        self.educator = factories.EducatorFactory()
        self.supervisor = factories.SupervisorFactory()
        self.tutor = factories.TutorFactory()
        self.placement = factories.PlacementFactory(
            student=self.student,
            educator=self.educator,
            supervisor=self.supervisor,
            tutor=self.tutor,
            programme=self.programme,
        )
        # Strangers: people with the same roles on another university's placement.
        self.other_placement = factories.PlacementFactory()
        self.other_student = self.other_placement.student
        self.other_educator = self.other_placement.educator
        self.other_tutor = self.other_placement.tutor
        self.other_coordinator = factories.CoordinatorFactory()
        self.other_placement.programme.university.members.add(self.other_coordinator)


@pytest.fixture
def cast(db) -> Cast:
    return Cast()
