from django.urls import URLPattern, URLResolver

app_name = "loop"
urlpatterns: list[URLPattern | URLResolver] = []
