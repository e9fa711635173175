from django.urls import path

from apps.reviews import views

app_name = "reviews"

urlpatterns = [
    path("filings/<int:pk>/review/decide/", views.decide, name="decide"),
    path("filings/<int:pk>/review/recommend/", views.recommend, name="recommend"),
    path("filings/<int:pk>/review/comment/", views.comment, name="comment"),
    path("filings/<int:pk>/review/assign/", views.assign, name="assign"),
    path("authorities/<str:code>/review-dashboard/", views.dashboard, name="dashboard"),
]
