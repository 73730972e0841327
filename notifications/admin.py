from django.contrib import admin, messages

from notifications.models import MailPreference, Notification
from notifications.services import notification_send_again


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was sent to whom, and what failed: read-only, with one action to send again."""

    list_display = ("recipient", "event", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "event")
    search_fields = ("recipient__email",)
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed notifications again")
    def send_again(self, request, queryset):
        failed = queryset.filter(status=Notification.Status.FAILED)
        for notification in failed:
            notification_send_again(notification=notification)
        self.message_user(request, f"{len(failed)} queued again.", messages.SUCCESS)


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "updated_at")
    list_filter = ("frequency",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
