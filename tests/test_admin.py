import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
def test_every_model_has_an_admin_page_that_opens(client, cast):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    factories.EvidenceFactory(placement=cast.placement)
    app_labels = {"accounts", "portfolios", "assessments", "privacy"}
    registered = [m for m in admin.site._registry if m._meta.app_label in app_labels]
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in app_labels
        and not m.__name__.startswith("Historical")
        # Proxies of many-to-many link tables exist only to carry their PostgreSQL triggers.
        and not (m._meta.proxy and m._meta.concrete_model._meta.auto_created)
    ]
    assert sorted(m.__name__ for m in ours if m not in registered) == []
    for model in registered:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        obj = model._default_manager.first()
        if obj is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_non_staff_cannot_open_the_admin(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(reverse("admin:portfolios_placement_changelist"))
    assert response.status_code == 302
