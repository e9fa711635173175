from django.contrib import admin

from apps.enterprises.models import Authority, Enterprise, Membership


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin[Authority]):
    list_display = ("code", "name_zh", "name_en", "kind", "sort_order")
    list_filter = ("kind",)
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("sort_order", "code")


class MembershipInline(admin.TabularInline[Membership, Enterprise]):
    model = Membership
    fk_name = "enterprise"
    fields = ("user", "role", "is_active")
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = (
        "credit_code",
        "name_zh",
        "name_en",
        "authority",
        "category",
        "industry",
        "is_active",
    )
    list_filter = ("authority", "category", "industry", "is_active", "listed")
    search_fields = ("credit_code", "name_zh", "name_en")
    list_select_related = ("authority",)
    raw_id_fields = ("parent",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "role", "enterprise", "authority", "is_active", "created_at")
    list_filter = ("role", "is_active", "authority")
    search_fields = (
        "user__email",
        "user__full_name",
        "enterprise__name_zh",
        "enterprise__credit_code",
    )
    list_select_related = ("user", "enterprise", "authority")
    raw_id_fields = ("user", "enterprise")
