from django.urls import URLPattern, URLResolver, path

from apps.stages import views

app_name = "stages"

urlpatterns: list[URLPattern | URLResolver] = [
    path("filings/<int:pk>/stages/progress/", views.progress_fragment, name="progress"),
    path("filings/<int:pk>/stages/amend-plan/", views.open_amendment, name="open_amendment"),
    path("filings/<int:pk>/stages/score/", views.score, name="score"),
    path("designations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("models/", views.national_list, name="national_list"),
]
