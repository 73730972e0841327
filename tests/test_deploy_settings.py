"""Production defaults are safe with nothing set but the secret key and the host name: Django's
deployment checks pass, HSTS is on for a year, and mail goes over TLS."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Only what docs/deploy.md says production must set.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50)),
    "ALLOWED_HOSTS": "example.org",
}
# Variables that would change what is checked if the machine running the tests had them set.
UNSET = (
    "DATABASE_URL",
    "DEBUG",
    "EMAIL_URL",
    "EMAIL_USE_TLS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    # Set by the browser tests' live server in this same process; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**environ, **PRODUCTION, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_under(**env) -> dict:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deployment_checks_pass_with_only_the_secret_key_and_host_set():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"])
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_is_enforced_and_remembered_for_a_year_by_default():
    values = settings_under()
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True


def test_hsts_can_be_staged_from_a_few_minutes_without_subdomains_or_preload():
    values = settings_under(
        SECURE_HSTS_SECONDS="300", SECURE_HSTS_INCLUDE_SUBDOMAINS="no", SECURE_HSTS_PRELOAD="no"
    )
    assert values["SECURE_HSTS_SECONDS"] == 300
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False


@pytest.mark.parametrize(
    ("env", "tls", "ssl"),
    [
        ({}, True, False),
        ({"EMAIL_URL": "smtp://mail.example.org:587"}, True, False),
        ({"EMAIL_URL": "smtp+tls://u:p@mail.example.org:587"}, True, False),
        ({"EMAIL_URL": "smtp+ssl://u:p@mail.example.org:465"}, False, True),
        ({"EMAIL_USE_TLS": "false"}, False, False),
        ({"DEBUG": "true"}, False, False),
    ],
    ids=["default", "plain smtp url", "smtp+tls", "smtp+ssl", "turned off", "demo"],
)
def test_production_mail_goes_over_tls_unless_told_otherwise(env, tls, ssl):
    values = settings_under(**env)
    assert (values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (tls, ssl)


def test_tls_and_ssl_together_stop_start_up_naming_the_variable():
    result = run(
        ["-c", "import django; django.setup()"],
        EMAIL_URL="smtp+ssl://u:p@mail.example.org:465",
        EMAIL_USE_TLS="true",
    )
    assert result.returncode != 0
    assert "EMAIL_USE_TLS" in result.stderr
