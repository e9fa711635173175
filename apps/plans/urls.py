from django.urls import path

from apps.plans import offline_views, views

app_name = "plans"

urlpatterns = [
    path("filings/<int:pk>/plan/gap/", views.indicator_gap_fragment, name="indicator_gap"),
    path(
        "filings/<int:pk>/plan/offline/template.xlsx",
        offline_views.offline_template,
        name="offline_template",
    ),
    path("filings/<int:pk>/plan/offline/", offline_views.offline_upload, name="offline_upload"),
]
