from django.urls import path

from apps.plans import views

app_name = "plans"

urlpatterns = [
    path("filings/<int:pk>/plan/gap/", views.indicator_gap_fragment, name="indicator_gap"),
]
