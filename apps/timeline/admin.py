"""Campaigns in the Django admin: stages and deliverables inline, so that an administrator
changes a campaign's reporting periods and due dates (annual, half-yearly for one
authority, ...) as data. Every save drops the cached active deliverables once it commits.
A deliverable with filings cannot be deleted here: Filing.deliverable is PROTECT, and the
admin refuses to delete a protected row, inline or on its own page, naming the filings."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelChoiceField
from django.http import HttpRequest

from apps.timeline.models import AuthorityDeadline, Campaign, Deliverable, Extension, Stage
from apps.timeline.selectors import forget_active_deliverables


def _forget_on_commit() -> None:
    transaction.on_commit(forget_active_deliverables)


class StageInline(admin.TabularInline[Stage, Campaign]):
    model = Stage
    extra = 0


class DeliverableInline(admin.TabularInline[Deliverable, Campaign]):
    model = Deliverable
    extra = 0
    fields = (
        "title_zh",
        "title_en",
        "kind",
        "stage",
        "due_on",
        "period_starts_on",
        "period_ends_on",
        "authority",
        "expected_share",
    )

    def formfield_for_foreignkey(
        self, db_field: "models.ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        # The stage list offers this campaign's stages only (a new campaign: none yet, its
        # stages are saved first and the deliverables added after).
        if db_field.name == "stage":
            match = request.resolver_match
            campaign_id = match.kwargs.get("object_id") if match else None
            kwargs["queryset"] = (
                Stage.objects.filter(campaign_id=campaign_id)
                if campaign_id
                else Stage.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ("code", "name_zh", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_zh", "name_en")
    inlines = [StageInline, DeliverableInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _forget_on_commit()

    def delete_model(self, request: HttpRequest, obj: Campaign) -> None:
        super().delete_model(request, obj)
        _forget_on_commit()


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin[Deliverable]):
    list_display = (
        "title_zh",
        "campaign",
        "kind",
        "stage",
        "due_on",
        "period_starts_on",
        "period_ends_on",
        "authority",
    )
    list_filter = ("campaign", "kind", "authority")
    search_fields = ("title_zh", "title_en")
    list_select_related = ("campaign", "stage", "authority")

    def save_model(self, request: HttpRequest, obj: Deliverable, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _forget_on_commit()

    def delete_model(self, request: HttpRequest, obj: Deliverable) -> None:
        super().delete_model(request, obj)
        _forget_on_commit()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        _forget_on_commit()


@admin.register(AuthorityDeadline)
class AuthorityDeadlineAdmin(admin.ModelAdmin[AuthorityDeadline]):
    list_display = ("deliverable", "authority", "due_on", "set_by", "updated_at")
    list_filter = ("authority", "deliverable__campaign")
    search_fields = ("deliverable__title_zh", "authority__name_zh")
    list_select_related = ("deliverable", "authority", "set_by")
    raw_id_fields = ("set_by",)


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin[Extension]):
    list_display = ("enterprise", "deliverable", "due_on", "granted_by", "updated_at")
    list_filter = ("deliverable__campaign", "enterprise__authority")
    search_fields = ("enterprise__name_zh", "enterprise__credit_code", "reason")
    list_select_related = ("enterprise", "deliverable", "granted_by")
    raw_id_fields = ("enterprise", "granted_by")
