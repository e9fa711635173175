from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.packets.models import Packet, PacketState


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
        from apps.packets.tasks import render_packet

        count = 0
        for packet in queryset.exclude(state=PacketState.READY):
            render_packet.delay_on_commit(packet.pk)  # type: ignore[attr-defined]
            count += 1
        messages.success(request, _("%(n)d packet(s) queued for rendering.") % {"n": count})
