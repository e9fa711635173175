from django.contrib import admin

from apps.groups.models import GroupFilingPolicy


@admin.register(GroupFilingPolicy)
class GroupFilingPolicyAdmin(admin.ModelAdmin):
    """Read here; set through apps.groups.services.group_policy_set (the group's page), which
    keeps each subsidiary's ``files_to_group`` in step."""

    list_display = ("group", "max_tier", "commission_sees_subsidiaries", "updated_at")
    search_fields = ("group__name_zh", "group__credit_code")
    readonly_fields = ("group", "max_tier", "listed", "commission_sees_subsidiaries",
                       "updated_by", "updated_at")  # fmt: skip

    def has_add_permission(self, request: object) -> bool:
        return False
