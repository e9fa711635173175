from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.enterprises.models import Authority, AuthorityKind, Enterprise, Membership


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin[Authority]):
    """Where an administrator adds a city commission under its province (the model's
    clean() refuses a wrong kind, code or parent); many at once: manage.py
    import_authorities."""

    list_display = ("code", "name_zh", "name_en", "kind", "parent", "sort_order")
    list_filter = ("kind", ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("sort_order", "code")
    fields = ("code", "name_zh", "name_en", "kind", "parent", "sort_order")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            # Only a provincial commission has city commissions under it.
            kwargs["queryset"] = Authority.objects.filter(kind=AuthorityKind.PROVINCIAL)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
