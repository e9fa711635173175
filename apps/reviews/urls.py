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
]
