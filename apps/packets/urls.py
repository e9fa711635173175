from django.urls import path

from apps.packets import views

app_name = "packets"

urlpatterns = [
    path(
        "filings/<int:pk>/packets/<int:packet_pk>/",
        views.packet_download,
        name="download",
    ),
]
