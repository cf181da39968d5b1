from django.urls import URLPattern, URLResolver

app_name = "textanalytics"
urlpatterns: list[URLPattern | URLResolver] = []
