from django.urls import path

from apps.timeline import views

app_name = "timeline"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<int:campaign_pk>/deliverables/new/",
        views.deliverable_edit,
        name="deliverable_create",
    ),
    path(
        "campaigns/<int:campaign_pk>/deliverables/<int:pk>/edit/",
        views.deliverable_edit,
        name="deliverable_edit",
    ),
    path(
        "campaigns/<int:campaign_pk>/deliverables/<int:pk>/delete/",
        views.deliverable_delete,
        name="deliverable_delete",
    ),
    path("timeline/check-date/", views.check_date, name="check_date"),
    path(
        "authorities/<str:code>/obligations/",
        views.authority_obligations,
        name="authority_obligations",
    ),
    path(
        "authorities/<str:code>/obligations/list/",
        views.authority_obligation_list,
        name="authority_obligation_list",
    ),
    path(
        "authorities/<str:code>/obligations/list.<str:fmt>",
        views.authority_obligation_list,
        name="authority_obligation_export",
    ),
    path(
        "authorities/<str:code>/deliverables/<int:deliverable_pk>/deadline/",
        views.authority_deadline_edit,
        name="authority_deadline_edit",
    ),
    path(
        "enterprises/<str:credit_code>/deliverables/<int:deliverable_pk>/extension/",
        views.extension_edit,
        name="extension_edit",
    ),
    path(
        "enterprises/<str:credit_code>/deliverables/<int:deliverable_pk>/extension/revoke/",
        views.extension_revoke,
        name="extension_revoke",
    ),
]
