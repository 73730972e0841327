from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portfolios.models import (
    CapabilityFramework,
    Domain,
    Evidence,
    Grade,
    GradingScale,
    LevelDescriptor,
    Placement,
    PlacementStatusChange,
    PracticeArea,
    Programme,
    StudentLevel,
    University,
)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class StudentLevelInline(admin.TabularInline):
    model = StudentLevel
    extra = 0


@admin.register(CapabilityFramework)
class CapabilityFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "domain_word", "educator_title"]
    inlines = [StudentLevelInline, DomainInline]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "order", "code"]
    list_filter = ["framework"]


@admin.register(StudentLevel)
class StudentLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "order", "assessed_at"]
    list_filter = ["framework"]


@admin.register(LevelDescriptor)
class LevelDescriptorAdmin(admin.ModelAdmin):
    list_display = ["domain", "level"]
    list_filter = ["level__framework", "level"]
    list_select_related = ["domain", "level"]


class GradeInline(admin.TabularInline):
    model = Grade
    extra = 0


@admin.register(GradingScale)
class GradingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "pass_value"]
    inlines = [GradeInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["label", "scale", "value"]
    list_filter = ["scale"]


@admin.register(PracticeArea)
class PracticeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country"]
    filter_horizontal = ["members"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "award", "university", "framework", "grading_scale"]
    list_filter = ["university"]
    list_select_related = ["university", "framework", "grading_scale"]


class PlacementStatusChangeInline(admin.TabularInline):
    model = PlacementStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    """Read-mostly: people and status change through services, which keep permissions and
    the status trail right, so the admin shows them but does not edit them."""

    list_display = ["student", "educator", "programme", "stage", "status", "start_date"]
    list_filter = ["status", "stage", "programme__university", "programme"]
    list_select_related = ["student", "educator", "programme__university"]
    search_fields = ["student__email", "student__last_name", "educator__email", "setting_name"]
    readonly_fields = [
        "student",
        "educator",
        "supervisor",
        "tutor",
        "programme",
        "framework",
        "grading_scale",
        "status",
    ]
    inlines = [PlacementStatusChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(PlacementStatusChange)
class PlacementStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["placement", "from_status", "to_status", "actor", "created_at"]
    list_select_related = ["placement__student", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "placement", "practice_date"]
    list_filter = ["kind"]
    list_select_related = ["placement__student"]
