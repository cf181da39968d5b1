from django.urls import URLPattern, URLResolver

app_name = "customers"
urlpatterns: list[URLPattern | URLResolver] = []
