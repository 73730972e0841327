"""A framework version or grading scale that a placement uses is frozen: its names, domains,
levels, descriptors and grades are what signed reviews say, so nothing changes them, not the
admin, the models, their querysets, `loaddata` or (on PostgreSQL) the database. A change is a
new version."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from portfolios.models import (
    CapabilityFramework,
    Domain,
    Grade,
    GradingScale,
    LevelDescriptor,
    StudentLevel,
)
from portfolios.models.immutability import LockedError
from tests import factories

IN_USE = "This framework version is used by a placement, so it can no longer change."
SCALE_IN_USE = "This grading scale is used by a placement, so it can no longer change."


@pytest.fixture
def placement(db):
    return factories.PlacementFactory()


@pytest.fixture
def framework(placement):
    return placement.framework


@pytest.fixture
def scale(placement):
    return placement.grading_scale


def refused(write, message=IN_USE) -> None:
    with pytest.raises(LockedError) as exc, transaction.atomic():
        write()
    assert exc.value.messages[0].startswith(message)


def names(framework) -> list[str]:
    return list(Domain.objects.filter(framework=framework).values_list("name", flat=True))


def test_a_framework_in_use_refuses_every_orm_change(framework):
    before = (CapabilityFramework.objects.values().get(pk=framework.pk), names(framework))
    domain = framework.domains.get(order=1)
    domain.name = "Renamed"
    refused(domain.save)
    refused(domain.delete)
    refused(lambda: Domain.objects.filter(pk=domain.pk).update(name="Renamed"))
    refused(lambda: framework.domains.all().delete())
    refused(lambda: Domain.objects.bulk_update([domain], ["name"]))
    refused(lambda: Domain.objects.create(framework=framework, order=10, code="D10", name="New"))
    framework.domain_word = "competency"
    refused(framework.save)
    refused(lambda: CapabilityFramework.objects.filter(pk=framework.pk).update(domain_word="item"))
    refused(lambda: framework.levels.update(name="Renamed"))
    level = framework.levels.first()
    refused(lambda: LevelDescriptor.objects.create(domain=domain, level=level, text="New."))
    after = (CapabilityFramework.objects.values().get(pk=framework.pk), names(framework))
    assert after == before


def test_a_grading_scale_in_use_refuses_every_orm_change(scale):
    before = list(Grade.objects.filter(scale=scale).values())
    grade = scale.grades.get(value=1)
    grade.label = "Renamed"
    refused(grade.save, SCALE_IN_USE)
    refused(grade.delete, SCALE_IN_USE)
    refused(lambda: scale.grades.update(label="Renamed"), SCALE_IN_USE)
    refused(lambda: GradingScale.objects.filter(pk=scale.pk).update(pass_value=1), SCALE_IN_USE)
    refused(
        lambda: Grade.objects.create(scale=scale, value=9, code="g9", label="New"), SCALE_IN_USE
    )
    assert list(Grade.objects.filter(scale=scale).values()) == before


def test_a_save_that_changes_nothing_passes(framework):
    for row in [framework, *framework.domains.all(), *framework.levels.all()]:
        row.save()


def test_a_framework_nobody_uses_can_still_change(db):
    framework = factories.CapabilityFrameworkFactory()
    domain = framework.domains.get(order=1)
    domain.name = "Renamed"
    domain.save()
    Domain.objects.create(framework=framework, order=10, code="D10", name="New")
    StudentLevel.objects.filter(framework=framework).update(name="Renamed")
    assert framework.domains.count() == 10


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def pcf_in_use(db):
    call_command("loaddata", "frameworks", "grading_scales", verbosity=0)
    pcf = CapabilityFramework.objects.get(code="PCF", version="2018")
    factories.PlacementFactory(programme__framework=pcf)
    return pcf


def test_the_fixtures_load_again_over_a_framework_in_use(pcf_in_use):
    before = names(pcf_in_use)
    call_command("loaddata", "frameworks", "grading_scales", verbosity=0)
    assert names(pcf_in_use) == before


def test_a_changed_fixture_cannot_rename_a_domain_in_use(pcf_in_use, tmp_path):
    domain = pcf_in_use.domains.get(order=1)
    fixture = tmp_path / "renamed.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "portfolios.domain",
                    "fields": {
                        "framework": ["PCF", "2018"],
                        "order": 1,
                        "code": domain.code,
                        "name": "Renamed by a fixture",
                        "description": domain.description,
                    },
                }
            ]
        )
    )
    with pytest.raises(LockedError), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    assert Domain.objects.get(pk=domain.pk).name == domain.name


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def frozen_objects(framework, scale):
    domain = framework.domains.get(order=1)
    level = framework.levels.first()
    return {
        "capabilityframework": framework,
        "domain": domain,
        "studentlevel": level,
        "leveldescriptor": LevelDescriptor.objects.create(domain=domain, level=level, text="x"),
        "gradingscale": scale,
        "grade": scale.grades.first(),
    }


@pytest.mark.parametrize(
    "name",
    ["capabilityframework", "domain", "studentlevel", "leveldescriptor", "gradingscale", "grade"],
)
def test_the_admin_shows_a_framework_in_use_read_only(admin_client, db, name):
    # The descriptor is written before the framework is in use, as the fixtures would.
    framework, scale = factories.CapabilityFrameworkFactory(), factories.GradingScaleFactory()
    obj = frozen_objects(framework, scale)[name]
    factories.PlacementFactory(programme__framework=framework, programme__grading_scale=scale)
    url = reverse(f"admin:portfolios_{name}_change", args=[obj.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert admin_client.post(url, {"name": "Renamed", "label": "Renamed"}).status_code == 403
    delete = reverse(f"admin:portfolios_{name}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_admin_add_form_says_why_a_domain_cannot_join_a_framework_in_use(
    admin_client, framework
):
    response = admin_client.post(
        reverse("admin:portfolios_domain_add"),
        {"framework": framework.pk, "order": 10, "code": "D10", "name": "New"},
    )
    assert response.status_code == 200
    assert IN_USE in response.content.decode()
    assert framework.domains.count() == 9


def test_the_admin_still_edits_a_framework_nobody_uses(admin_client, db):
    framework = factories.CapabilityFrameworkFactory()
    url = reverse("admin:portfolios_capabilityframework_change", args=[framework.pk])
    assert b'name="_save"' in admin_client.get(url).content


# --- The database itself (PostgreSQL) ---------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The triggers exist only on PostgreSQL; on SQLite the model and queryset guards "
    "above are the last layer.",
)


def raw(sql: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgres_only
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE portfolios_domain SET name = 'Renamed' WHERE framework_id = %(fw)s", IN_USE),
        ("DELETE FROM portfolios_studentlevel WHERE framework_id = %(fw)s", IN_USE),
        ("UPDATE portfolios_capabilityframework SET name = 'Renamed' WHERE id = %(fw)s", IN_USE),
        ("UPDATE portfolios_grade SET label = 'Renamed' WHERE scale_id = %(scale)s", SCALE_IN_USE),
        ("UPDATE portfolios_gradingscale SET pass_value = 1 WHERE id = %(scale)s", SCALE_IN_USE),
        (
            'INSERT INTO portfolios_domain (framework_id, "order", code, name, description) '
            "VALUES (%(fw)s, 10, 'D10', 'New', '')",
            IN_USE,
        ),
    ],
)
def test_the_database_refuses_changing_a_framework_in_use(placement, sql, message):
    params = {"fw": placement.framework_id, "scale": placement.grading_scale_id}
    before = names(placement.framework)
    with pytest.raises(IntegrityError, match=message):
        raw(sql, params)
    assert names(placement.framework) == before


@postgres_only
def test_the_database_lets_an_unchanged_row_be_written_again(framework):
    raw("UPDATE portfolios_domain SET name = name WHERE framework_id = %s", [framework.pk])
    unused = factories.CapabilityFrameworkFactory()
    raw("UPDATE portfolios_domain SET name = 'Renamed' WHERE framework_id = %s", [unused.pk])
    assert set(names(unused)) == {"Renamed"}
