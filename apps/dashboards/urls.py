from django.urls import path

from apps.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("authorities/<str:code>/dashboard/", views.authority_dashboard, name="authority"),
    path(
        "authorities/<str:code>/dashboard/<str:table>.<str:fmt>",
        views.authority_export,
        name="authority_export",
    ),
    path("national/overview/", views.national_overview, name="national"),
    path("national/overview.<str:fmt>", views.national_export, name="national_export"),
]
