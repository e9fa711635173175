"""The project's URLs plus the plan's own, for tests that run before (or without) the lead
wiring ``apps.plans.urls`` into config/urls.py."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("", include("apps.plans.urls"))]
