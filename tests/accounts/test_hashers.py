"""Passwords are stored with Argon2id; older hashes are upgraded when their owner signs in."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from config import settings as project_settings
from tests import factories

PASSWORD = "kettle-harbour-violet-93"


def test_new_passwords_are_hashed_with_argon2id(db, settings):
    # The test settings use MD5 for speed (tests/conftest.py); these are the project's own.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = factories.StudentFactory()
    user.set_password(PASSWORD)
    user.save()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, db, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = factories.StudentFactory()
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
