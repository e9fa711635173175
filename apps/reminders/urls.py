from django.urls import path

from apps.reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/preferences/", views.preferences, name="preferences"),
    path("campaigns/<int:pk>/reminders/", views.campaign_rules, name="campaign_rules"),
]
