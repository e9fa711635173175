from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.core.http import client_ip
from apps.packets.models import Packet, PacketBundle
from apps.packets.services import packet_retry


@admin.register(Packet)
class PacketAdmin(admin.ModelAdmin[Packet]):
    list_display = ("version", "kind", "state", "attempts", "size", "rendered_at", "created_at")
    list_filter = ("state", "kind")
    search_fields = (
        "version__filing__enterprise__name_zh",
        "version__filing__enterprise__credit_code",
        "sha256",
    )
    list_select_related = ("version__filing__enterprise",)
    readonly_fields = [f.name for f in Packet._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Render again (failed or stuck packets)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Packet]) -> None:
        # The same service as the Retry button on the filing page (audited, after commit).
        count = sum(
            packet_retry(packet_id=pk, actor=request.user, ip_address=client_ip(request))
            for pk in queryset.values_list("pk", flat=True)
        )
        messages.success(request, _("%(n)d packet(s) queued for rendering.") % {"n": count})


@admin.register(PacketBundle)
class PacketBundleAdmin(admin.ModelAdmin[PacketBundle]):
    list_display = ("authority", "deliverable", "requested_by", "state", "done", "total",
                    "created_at", "expires_at")  # fmt: skip
    list_filter = ("state", "authority")
    list_select_related = ("authority", "deliverable", "requested_by")
    readonly_fields = [f.name for f in PacketBundle._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
