"""The score scale is data an administrator edits here; assessments and designations are
read-only (they change only through the services, which write the audit trail)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.stages.models import Assessment, Designation, IndicatorResult, ScoreLevel, ScoreScale


class ScoreLevelInline(admin.TabularInline[ScoreLevel, ScoreScale]):
    model = ScoreLevel
    extra = 0
    fields = ("order", "code", "label_zh", "label_en", "points")


@admin.register(ScoreScale)
class ScoreScaleAdmin(admin.ModelAdmin[ScoreScale]):
    list_display = ("code", "name_zh", "name_en", "is_default")
    inlines = [ScoreLevelInline]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("filing", "version", "overall", "scored_by", "updated_at")
    list_select_related = ("filing__enterprise", "filing__deliverable", "version", "overall",
                           "scored_by")  # fmt: skip
    search_fields = ("filing__enterprise__name_zh", "filing__enterprise__credit_code")


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "title", "enterprise", "authority", "year", "named_at", "revoked_at")
    list_filter = ("kind", "authority")
    list_select_related = ("enterprise", "authority")
    search_fields = ("title", "enterprise__name_zh", "enterprise__credit_code")


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "deliverable", "year", "code", "actual", "progress", "on_track")
    list_filter = ("year", "core", "on_track")
    list_select_related = ("enterprise", "deliverable")
    search_fields = ("enterprise__name_zh", "code")
