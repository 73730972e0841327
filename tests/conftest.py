import os
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
    # Tasks (mail) run at once, in the test's own process; tests/notifications/test_worker.py
    # drives the database queue and its worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_sessionfinish(session, exitstatus):
    """`.ci/run` sets REQUIRE_BROWSER_TESTS=1: then a run in which the browser tests were
    skipped, deselected or left out fails, so CI cannot go green without them."""
    if os.environ.get("REQUIRE_BROWSER_TESTS") != "1" or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}

    def browser_tests(outcome):
        return [r for r in stats.get(outcome, []) if "tests/e2e/" in getattr(r, "nodeid", "")]

    if browser_tests("skipped") or not browser_tests("passed"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter:
            reporter.write_line(
                "REQUIRE_BROWSER_TESTS=1, but the browser tests in tests/e2e/ were skipped or "
                "did not run.",
                red=True,
            )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache; each test starts with none spent.
    from django.core.cache import cache

    cache.clear()


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
