from django.contrib import admin
from django.http import HttpRequest

from apps.people.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Read-only: invitations are sent, resent and revoked from the people pages, where the
    services check rights and audit."""

    list_display = ("email", "role", "enterprise", "authority", "created_at", "expires_at")
    list_filter = ("role",)
    search_fields = ("email", "full_name")
    list_select_related = ("enterprise", "authority")
    exclude = ("token_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
