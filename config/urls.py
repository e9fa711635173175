from django.contrib import admin
from django.urls import include, path

from apps.core.views import healthz, ping
from apps.home.views import home

admin.site.site_header = "价值创造行动备案系统 · Value Creation Filing"
admin.site.site_title = "价值创造行动备案系统"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.enterprises.urls")),
    path("", include("apps.registry.urls")),
    path("", include("apps.timeline.urls")),
    path("", include("apps.filings.urls")),
    path("", include("apps.plans.urls")),
    path("", include("apps.reviews.urls")),
    path("", include("apps.groups.urls")),
    path("", include("apps.packets.urls")),
    path("", include("apps.people.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.reminders.urls")),
    path("", include("apps.stages.urls")),
    path("", include("apps.nominations.urls")),
    path("", include("apps.dashboards.urls")),
    path("admin/", admin.site.urls),
]
