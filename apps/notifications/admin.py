from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Notification


class EmailStatusFilter(admin.SimpleListFilter):
    title = _("email")
    parameter_name = "email"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [
            ("sent", str(_("Sent"))),
            ("failed", str(_("Failed"))),
            ("pending", str(_("Not sent yet"))),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Notification]
    ) -> QuerySet[Notification]:
        if self.value() == "sent":
            return queryset.filter(email_sent_at__isnull=False)
        if self.value() == "failed":
            return queryset.filter(email_sent_at__isnull=True).exclude(email_error="")
        if self.value() == "pending":
            return queryset.filter(email_sent_at__isnull=True, email_error="")
        return queryset


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("yes", str(_("Read"))), ("no", str(_("Unread")))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Notification]
    ) -> QuerySet[Notification]:
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """Read-only: notifications are made by the workflow. Useful to see whether an email
    left, and why not."""

    list_display = ("wording", "recipient", "verb", "created_at", "read_at", "email_sent_at")
    list_filter = ("verb", ReadFilter, EmailStatusFilter, "created_at")
    # ``title`` finds the rows written before titles were worded on reading.
    search_fields = ("title", "recipient__email", "recipient__full_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    raw_id_fields = ("recipient", "filing")
    show_full_result_count = False  # the table grows with every event; no second COUNT

    @admin.display(description=_("title"))
    def wording(self, obj: Notification) -> str:
        """In the administrator's language, as the recipient would read it in theirs."""
        return obj.display_title

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
