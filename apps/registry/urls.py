from django.urls import include, path

from apps.registry import views

app_name = "registry"

urlpatterns = [
    path("registry/", views.enterprise_list, name="enterprise_list"),
    path(
        "enterprises/<str:credit_code>/contact/",
        views.enterprise_contact_edit,
        name="enterprise_contact_edit",
    ),
    path("registry/", include("apps.registry.import_urls")),
]
