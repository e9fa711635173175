from django.contrib import admin
from django.http import HttpRequest

from apps.reminders.models import ReminderDelivery, ReminderOptOut, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin[ReminderRule]):
    list_display = ["campaign", "kind", "days", "every_days", "mandatory", "is_active"]
    list_filter = ["campaign", "kind", "mandatory", "is_active"]
    list_editable = ["days", "every_days", "mandatory", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: ReminderRule | None = None) -> bool:
        # The ledger refers to its rules: switch a rule off instead.
        return False


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin[ReminderOptOut]):
    list_display = ["user", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin[ReminderDelivery]):
    """The ledger, read-only: what was claimed, sent, failed (and why)."""

    list_display = [
        "id", "kind", "subject_key", "recipient", "due_on", "occasion_on", "state", "attempts",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["state", "kind", "occasion_on"]
    search_fields = ["recipient__email", "subject_key"]
    date_hierarchy = "occasion_on"
    list_select_related = ["recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ReminderDelivery | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ReminderDelivery | None = None
    ) -> bool:
        return False
