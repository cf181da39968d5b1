from django.urls import URLPattern, URLResolver, path

from pulso.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.reports, name="list"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("preview/", views.preview, name="preview"),
]
