"""Administrators look the review records up here; they change them only through the
services (which write the audit trail), so every model but the settings is read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.reviews.models import (
    Assignment,
    AuthorityReviewSettings,
    Comment,
    Decision,
    FilingNumberSequence,
    Recommendation,
)
from apps.reviews.services import review_settings_update

FILING_SEARCH = ("filing__enterprise__name_zh", "filing__enterprise__credit_code")


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuthorityReviewSettings)
class AuthorityReviewSettingsAdmin(admin.ModelAdmin[AuthorityReviewSettings]):
    list_display = ("authority", "reviewers_may_self_assign", "updated_at")
    list_filter = ("reviewers_may_self_assign",)
    search_fields = ("authority__code", "authority__name_zh", "authority__name_en")
    list_select_related = ("authority",)
    fields = ("authority", "reviewers_may_self_assign")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("authority",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Through the service, so that the change is audited like any other.
        saved = review_settings_update(
            authority=obj.authority,
            reviewers_may_self_assign=obj.reviewers_may_self_assign,
            actor=request.user,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("filing", "reviewer", "assigned_by", "created_at", "is_active", "removed_at")
    list_filter = ("is_active", "filing__enterprise__authority", "filing__deliverable__campaign")
    search_fields = (*FILING_SEARCH, "reviewer__email", "reviewer__full_name")
    list_select_related = ("filing__enterprise", "filing__deliverable", "reviewer", "assigned_by")
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("filing", "version", "author", "section", "field", "row_id", "internal",
                    "created_at")  # fmt: skip
    list_filter = ("internal", "filing__enterprise__authority", "filing__deliverable__campaign")
    search_fields = (*FILING_SEARCH, "author__email", "body", "section", "field")
    list_select_related = ("filing__enterprise", "filing__deliverable", "version", "author")
    date_hierarchy = "created_at"


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("filing", "version", "reviewer", "outcome", "created_at")
    list_filter = ("outcome", "filing__enterprise__authority", "filing__deliverable__campaign")
    search_fields = (*FILING_SEARCH, "reviewer__email", "reasoning")
    list_select_related = ("filing__enterprise", "filing__deliverable", "version", "reviewer")
    date_hierarchy = "created_at"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("filing_number", "filing", "version", "outcome", "decided_by", "created_at")
    list_filter = ("outcome", "filing__enterprise__authority", "filing__deliverable__campaign")
    search_fields = (*FILING_SEARCH, "filing_number", "decided_by__email", "reasons")
    list_select_related = ("filing__enterprise", "filing__deliverable", "version", "decided_by")
    date_hierarchy = "created_at"


@admin.register(FilingNumberSequence)
class FilingNumberSequenceAdmin(ReadOnlyAdmin):
    # Read-only: a hand-edited counter would break "unique and without gaps".
    list_display = ("campaign", "authority", "last_number")
    list_filter = ("campaign", "authority")
    search_fields = ("campaign__code", "authority__code", "authority__name_zh")
    list_select_related = ("campaign", "authority")
