from django.urls import path

from apps.filings import docx_views, readiness_views, views

app_name = "filings"

urlpatterns = [
    path(
        "enterprises/<str:credit_code>/deliverables/<int:deliverable_pk>/filing/",
        views.filing_start,
        name="start",
    ),
    path("filings/<int:pk>/", views.filing_detail, name="detail"),
    path("filings/<int:pk>/edit/<str:section>/", views.section_edit, name="section_edit"),
    path("filings/<int:pk>/check/", views.check_answers, name="check"),
    path(
        "filings/<int:pk>/ready-for-lead/",
        readiness_views.ready_for_lead,
        name="ready_for_lead",
    ),
    path("filings/<int:pk>/actions/<str:action>/", views.filing_action, name="action"),
    path("filings/<int:pk>/versions/", views.version_list, name="versions"),
    path("filings/<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path(
        "filings/<int:pk>/versions/<int:number>/docx/",
        docx_views.version_docx_download,
        name="version_docx",
    ),
    path("filings/<int:pk>/compare/", views.version_diff, name="diff"),
    path("filings/<int:pk>/history/", views.history, name="history"),
    path("filings/<int:pk>/attachments/", views.attachments, name="attachments"),
    path("filings/<int:pk>/attachments/upload/", views.attachment_upload, name="attachment_upload"),
    path(
        "filings/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "filings/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
