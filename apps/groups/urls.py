from django.urls import path

from apps.groups import views

app_name = "groups"

urlpatterns = [
    path("groups/<str:credit_code>/policy/", views.policy_set, name="policy"),
]
