from django.urls import include, path

from apps.registry import views

app_name = "registry"

urlpatterns = [
    path("registry/", views.enterprise_list, name="enterprise_list"),
    path("registry/", include("apps.registry.import_urls")),
]
