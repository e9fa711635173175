from django.urls import path

from apps.reviews import queue_views, views

app_name = "reviews"

urlpatterns = [
    path("filings/<int:pk>/review/decide/", views.decide, name="decide"),
    path("filings/<int:pk>/review/recommend/", views.recommend, name="recommend"),
    path("filings/<int:pk>/review/comment/", views.comment, name="comment"),
    path("filings/<int:pk>/review/assign/", views.assign, name="assign"),
    path("authorities/<str:code>/review-dashboard/", views.dashboard, name="dashboard"),
    path("authorities/<str:code>/review-settings/", views.settings_update, name="settings_update"),
    path("authorities/<str:code>/queue/", queue_views.queue, name="queue"),
    path("authorities/<str:code>/queue/assign/", queue_views.queue_assign, name="queue_assign"),
    path("authorities/<str:code>/queue/take/", queue_views.queue_take, name="queue_take"),
    # What a group's subsidiaries file to it, for the group's reviewers.
    path("groups/<str:credit_code>/queue/", queue_views.group_queue, name="group_queue"),
    path(
        "groups/<str:credit_code>/queue/assign/",
        queue_views.group_queue_assign,
        name="group_queue_assign",
    ),
    path(
        "groups/<str:credit_code>/queue/take/",
        queue_views.group_queue_take,
        name="group_queue_take",
    ),
]
