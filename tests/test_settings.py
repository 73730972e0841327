"""Start-up fails loudly, naming the variable, when the environment is malformed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"DEBUG": "false", "SECRET_KEY": "x" * 40}


def start(**env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_good_settings_start():
    assert start(**GOOD).returncode == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("TIME_ZONE", "Europe/Atlantis"),
        ("DATABASE_URL", "nosuchdb://somewhere/x"),
        ("EMAIL_URL", "carrier-pigeon://loft"),
        ("LOGIN_FAILURES_PER_ADDRESS", "five"),
        ("TRUSTED_PROXY_COUNT", "-1"),
        ("SESSION_IDLE_MINUTES", "an hour"),
        ("TASKS_BACKEND", "celery"),
        ("NOTIFICATION_MAX_ATTEMPTS", "0"),
        ("EMAIL_TIMEOUT", "soon"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(variable, value):
    result = start(**{**GOOD, variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_a_lockout_variable_that_is_no_longer_read_stops_start_up_naming_its_successor():
    result = start(**GOOD, AXES_FAILURE_LIMIT="5")
    assert result.returncode != 0
    assert "LOGIN_FAILURES_PER_ADDRESS" in result.stderr


def test_secret_key_is_required_with_debug_off():
    result = start(DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    assert start(DEBUG="true", SECRET_KEY="").returncode == 0


def test_the_redis_queue_without_its_package_says_what_to_install():
    result = start(**GOOD, TASKS_BACKEND="rq")
    assert result.returncode != 0
    assert "pip install django-tasks-rq" in result.stderr
