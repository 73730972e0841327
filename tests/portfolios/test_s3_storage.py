"""Evidence files on S3-compatible object storage, against moto's S3 server on 127.0.0.1.

The same service and view code runs as on local disk: only STORAGES changes.
"""

import datetime
import json
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from portfolios import services
from portfolios.models import Evidence, EvidenceFile, EvidenceMapping
from portfolios.services.evidence import MappingInput

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-2"
NOTES = b"Plain notes from supervision.\n"
# Nothing here may reach a real AWS account, a proxy or the machine's own AWS configuration.
FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}


@pytest.fixture(scope="module")
def s3_endpoint():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in FAKE_AWS_ENVIRONMENT.items():
            patch.setenv(name, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def bucket(s3, s3_endpoint, settings):
    """A fresh bucket for each test, and default storage switched to it."""
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    # The same options config/settings.py builds from AWS_* variables.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
    }
    yield name
    try:
        for key in keys_in(s3, name):
            s3.delete_object(Bucket=name, Key=key)
        s3.delete_bucket(Bucket=name)
    except s3.exceptions.NoSuchBucket:
        pass


def keys_in(s3, bucket_name: str) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket_name).get("Contents", [])]


def create(cast, *files):
    domain = cast.placement.framework.domains.first()
    return services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title="Reflection on supervision",
        practice_date=datetime.date.today() - datetime.timedelta(days=1),
        mappings=[MappingInput(domain, "We talked about my values.")],
        files=list(files),
    )


def fetch(url: str):
    """GET without any proxy: the signed URL points at moto on 127.0.0.1."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.read(), response.headers


def test_default_storage_and_the_file_field_follow_the_settings(bucket):
    assert isinstance(default_storage, S3Storage)
    assert isinstance(EvidenceFile._meta.get_field("file").storage, S3Storage)
    assert default_storage.bucket_name == bucket


def test_a_students_file_lands_in_the_bucket_under_a_random_name(cast, bucket, s3):
    evidence = create(cast, SimpleUploadedFile("supervision notes.txt", NOTES))
    item = evidence.files.get()
    assert keys_in(s3, bucket) == [item.file.name]
    assert item.file.name.startswith(f"evidence/{cast.placement.pk}/")
    assert "supervision" not in item.file.name and "notes" not in item.file.name
    assert s3.get_object(Bucket=bucket, Key=item.file.name)["Body"].read() == NOTES


def test_a_stored_file_reads_back_through_the_storage_api(cast, bucket):
    item = create(cast, SimpleUploadedFile("notes.txt", NOTES)).files.get()
    item.refresh_from_db()
    with item.file.open("rb") as handle:
        assert handle.read() == NOTES


def test_the_student_is_redirected_to_a_short_lived_signed_download(
    cast, bucket, s3_endpoint, client
):
    item = create(cast, SimpleUploadedFile("notes.txt", NOTES)).files.get()
    client.force_login(cast.student)
    response = client.get(reverse("portfolios:evidence-file-download", kwargs={"pk": item.pk}))
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(f"{s3_endpoint}/{bucket}/{item.file.name}?")
    assert "X-Amz-Expires=60" in url
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body, headers = fetch(url)
    assert body == NOTES
    assert headers["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert headers["Content-Type"].startswith("text/plain")


def test_a_name_that_is_not_ascii_survives_the_signed_download(cast, bucket, client):
    item = create(cast, SimpleUploadedFile("Café notes.txt", NOTES)).files.get()
    client.force_login(cast.student)
    response = client.get(reverse("portfolios:evidence-file-download", kwargs={"pk": item.pk}))
    body, headers = fetch(response["Location"])
    assert body == NOTES
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"Cafe notes.txt\"; filename*=UTF-8''Caf%C3%A9%20notes.txt"
    )


def test_active_content_is_downloaded_as_plain_bytes(cast, bucket, client):
    item = create(cast, SimpleUploadedFile("notes.txt", NOTES)).files.get()
    EvidenceFile.objects.filter(pk=item.pk).update(active_content=True)
    client.force_login(cast.student)
    response = client.get(reverse("portfolios:evidence-file-download", kwargs={"pk": item.pk}))
    _, headers = fetch(response["Location"])
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"].startswith("attachment;")


def test_removing_a_file_removes_its_object_once_the_change_is_committed(
    cast, bucket, s3, django_capture_on_commit_callbacks
):
    item = create(cast, SimpleUploadedFile("notes.txt", NOTES)).files.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_file_delete(actor=cast.student, evidence_file=item)
    assert keys_in(s3, bucket) == []


def test_a_stranger_gets_not_found_and_no_signed_url(cast, bucket, client):
    item = create(cast, SimpleUploadedFile("notes.txt", NOTES)).files.get()
    client.force_login(cast.other_student)
    response = client.get(reverse("portfolios:evidence-file-download", kwargs={"pk": item.pk}))
    assert response.status_code == 404
    assert "Location" not in response
    assert b"X-Amz-" not in response.content


def test_a_storage_failure_leaves_no_row(cast, bucket, s3):
    s3.delete_bucket(Bucket=bucket)  # the object store refuses every write
    with pytest.raises(ClientError):
        create(cast, SimpleUploadedFile("notes.txt", NOTES))
    assert not Evidence.objects.exists()
    assert not EvidenceMapping.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_database_failure_after_storing_removes_the_object(cast, bucket, s3, monkeypatch):
    stored = []
    original_save = EvidenceFile.save

    def failing_save(self, *args, **kwargs):
        stored.extend(keys_in(s3, bucket))  # the object exists by now
        raise RuntimeError("database went away")

    monkeypatch.setattr(EvidenceFile, "save", failing_save)
    with pytest.raises(RuntimeError):
        create(cast, SimpleUploadedFile("notes.txt", NOTES))
    monkeypatch.setattr(EvidenceFile, "save", original_save)
    assert len(stored) == 1
    assert not Evidence.objects.exists()
    assert keys_in(s3, bucket) == []


# --- Configuration from the environment -------------------------------------------------------


def configured_storage(**env) -> subprocess.CompletedProcess:
    """Start Django with these variables and print the default storage it configured."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DEBUG") and not k.startswith("AWS_")
    }
    environ.update({**FAKE_AWS_ENVIRONMENT, "DEBUG": "false", "SECRET_KEY": "x" * 40})
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        del environ[name]
    environ.update(env)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_files_stay_on_local_disk_unless_a_bucket_is_named():
    result = configured_storage()
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_naming_a_bucket_moves_files_to_private_object_storage():
    result = configured_storage(
        AWS_STORAGE_BUCKET_NAME="evidence",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME=REGION,
        AWS_S3_SIGNED_URL_SECONDS="30",
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "evidence",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": REGION,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 30,
    }


@pytest.mark.parametrize("value", ["sixty", "0"])
def test_a_malformed_signed_url_lifetime_stops_start_up_naming_it(value):
    result = configured_storage(AWS_STORAGE_BUCKET_NAME="evidence", AWS_S3_SIGNED_URL_SECONDS=value)
    assert result.returncode != 0
    assert "AWS_S3_SIGNED_URL_SECONDS" in result.stderr
