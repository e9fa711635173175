from django.urls import path

from apps.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("enterprises/<str:credit_code>/", views.enterprise_detail, name="enterprise_detail"),
    path("authorities/<str:code>/", views.authority_detail, name="authority_detail"),
]
