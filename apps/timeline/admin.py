from django.contrib import admin

from apps.timeline.models import AuthorityDeadline, Campaign, Deliverable, Extension, Stage


class StageInline(admin.TabularInline[Stage, Campaign]):
    model = Stage
    extra = 0


class DeliverableInline(admin.TabularInline[Deliverable, Campaign]):
    model = Deliverable
    extra = 0
    fields = ("stage", "kind", "title_zh", "title_en", "due_on")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ("code", "name_zh", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_zh", "name_en")
    inlines = [StageInline, DeliverableInline]


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin[Deliverable]):
    list_display = ("title_zh", "campaign", "kind", "stage", "due_on")
    list_filter = ("campaign", "kind")
    search_fields = ("title_zh", "title_en")
    list_select_related = ("campaign", "stage")


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
