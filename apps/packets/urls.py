from django.urls import path

from apps.packets import views

app_name = "packets"

urlpatterns = [
    path(
        "filings/<int:pk>/packets/<int:packet_pk>/",
        views.packet_download,
        name="download",
    ),
    path(
        "filings/<int:pk>/packets/<int:packet_pk>/retry/",
        views.packet_retry,
        name="retry",
    ),
    path("packets/verify/", views.verify, name="verify"),
    path("authorities/<str:code>/packets/", views.authority_packets, name="authority"),
    path(
        "authorities/<str:code>/packets/bundles/",
        views.bundle_request,
        name="bundle_request",
    ),
    path(
        "authorities/<str:code>/packets/bundles/<int:pk>/",
        views.bundle_detail,
        name="bundle_detail",
    ),
    path(
        "authorities/<str:code>/packets/bundles/<int:pk>/download/",
        views.bundle_download,
        name="bundle_download",
    ),
]
