from django.contrib import admin

from privacy.models import Anonymisation


@admin.register(Anonymisation)
class AnonymisationAdmin(admin.ModelAdmin):
    """The record of what apply_retention did: read-only, since it is the proof."""

    list_display = ["__str__", "placement", "user", "retention_years", "created_at"]
    list_select_related = ["placement", "user"]
    readonly_fields = ["placement", "user", "retention_years", "counts", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
