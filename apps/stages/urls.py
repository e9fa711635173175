from django.urls import URLPattern, URLResolver

app_name = "stages"

urlpatterns: list[URLPattern | URLResolver] = []
