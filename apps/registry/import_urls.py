# Import and export routes (upload → preview → confirm; template; export). Included from
# apps/registry/urls.py under /registry/.
from django.urls import path, re_path

from apps.registry import import_views

urlpatterns = [
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/preview/", import_views.import_preview, name="import_preview"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/template/", import_views.import_template, name="import_template"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", import_views.export_enterprises, name="export"),
]
