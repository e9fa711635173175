from django.urls import URLPattern, URLResolver, path

from apps.nominations import views

app_name = "nominations"

urlpatterns: list[URLPattern | URLResolver] = [
    path("filings/<int:pk>/nominate/", views.nominate, {"source": "authority"}, name="nominate"),
    path("filings/<int:pk>/apply/", views.nominate, {"source": "application"}, name="apply"),
    path("nominations/<int:pk>/", views.detail, name="detail"),
    path("nominations/<int:pk>/score/", views.score, name="score"),
    path("nominations/<int:pk>/propose/", views.propose, name="propose"),
    path("nominations/<int:pk>/reject/", views.reject, name="reject"),
    path("nominations/<int:pk>/objections/", views.object_record, name="object"),
    path("nominations/<int:pk>/designate/", views.designate, name="designate"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="resolve"),
    path("authorities/<str:code>/nominations/", views.authority_list, name="authority_list"),
    path("authorities/<str:code>/notices/new/", views.notice_new, name="notice_new"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/designate/", views.notice_designate, name="notice_designate"),
]
