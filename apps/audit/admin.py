from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("created_at", "actor", "what", "target_type", "target_repr", "ip_address")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "actor__email", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)

    @admin.display(description=_("action"), ordering="action")
    def what(self, obj: AuditEvent) -> str:
        """The action's label in the administrator's language, its code beside it."""
        return f"{obj.action_label} ({obj.action})"

    # The trail is read-only, even for administrators.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
