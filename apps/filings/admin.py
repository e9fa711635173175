"""Administrators edit the attachment types each deliverable asks for (the rest of a filing
is changed only through its workflow, never in the admin)."""

from django.contrib import admin

from apps.filings.models import AttachmentType


@admin.register(AttachmentType)
class AttachmentTypeAdmin(admin.ModelAdmin[AttachmentType]):
    list_display = ("deliverable", "name_zh", "name_en", "code", "required", "order")
    list_filter = ("required", "deliverable__campaign")
    list_select_related = ("deliverable__campaign",)
    search_fields = ("name_zh", "name_en", "code", "deliverable__title_zh")
    ordering = ("deliverable__campaign__code", "deliverable__due_on", "order", "code")
