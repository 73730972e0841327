"""End to end on PostgreSQL: a page's step queues its email in the database, and a separate
`manage.py db_worker` process, as production runs it, sends it."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.invitations import invitations_send
from accounts.roles import Role
from notifications.models import Notification
from portfolios import services
from tests import factories
from tests.assessments import builders

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker process needs a shared server"
    ),
]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def run_worker(mail_dir) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "TASKS_BACKEND": "db",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key-that-is-long-enough",
    }
    command = ["manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"]
    return subprocess.run(
        [sys.executable, *command, "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_worker_process_sends_what_a_step_queued(cast, settings, tmp_path):
    settings.TASKS = DB_TASKS
    draft = builders.evidence(cast.placement, submit=False)
    services.evidence_submit(actor=cast.student, evidence=draft)  # commits; the task is queued
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not list(tmp_path.iterdir())

    finished = run_worker(tmp_path)

    assert finished.returncode == 0, finished.stderr
    (message,) = [p.read_text() for p in tmp_path.iterdir()]
    assert f"To: {cast.educator.email}" in message
    assert "has submitted evidence for you to review" in message
    assert draft.get_absolute_url() in message
    assert draft.title not in message
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_an_invitation_goes_through_the_worker_process_with_no_token_on_the_queue(
    cast, client, settings, tmp_path
):
    settings.TASKS = DB_TASKS
    person = factories.EducatorFactory(email="jo@agency.example.org")
    person.set_unusable_password()
    person.save()
    invitations_send(people=[(person, Role.EDUCATOR)], invited_by=cast.coordinator)
    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": [Notification.objects.get().pk], "kwargs": {}}

    finished = run_worker(tmp_path)

    assert finished.returncode == 0, finished.stderr
    (message,) = [p.read_text() for p in tmp_path.iterdir()]
    token = re.search(r"/accounts/invitation/([\w-]+)/", message).group(1)
    assert token not in str(DBTaskResult.objects.values().get())
    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    password = "a long walk by the river"
    response = client.post(url, {"new_password1": password, "new_password2": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-educator")
