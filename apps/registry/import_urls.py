# Import and export routes (upload → preview → confirm; template; export). Included from
# apps/registry/urls.py under /registry/.
from django.urls import path  # noqa: F401

urlpatterns: list = []
