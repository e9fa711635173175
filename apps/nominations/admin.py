"""Read-only admin pages: nominations, scores, notices and objections change only through
the services, which check the steps and write the audit trail."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.nominations.models import Nomination, NominationScore, Objection, PublicNotice


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ScoreInline(admin.TabularInline[NominationScore, Nomination]):
    model = NominationScore
    extra = 0
    fields = ("reviewer", "score", "comment", "updated_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ObjectionInline(admin.TabularInline[Objection, Nomination]):
    model = Objection
    extra = 0
    fields = ("received_on", "text", "resolution", "resolved_by", "resolution_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "title", "enterprise", "authority", "industry", "field", "source",
                    "status", "created_at")  # fmt: skip
    list_filter = ("status", "kind", "source", "industry", "authority")
    list_select_related = ("enterprise", "authority")
    search_fields = ("title", "enterprise__name_zh", "enterprise__credit_code")
    inlines = [ScoreInline, ObjectionInline]


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ("title", "authority", "starts_on", "ends_on", "published_by", "published_at")
    list_filter = ("authority",)
    list_select_related = ("authority", "published_by")
    search_fields = ("title",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("nomination", "received_on", "resolution", "resolved_at")
    list_filter = ("resolution",)
    list_select_related = ("nomination",)
