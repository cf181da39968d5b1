from django.urls import URLPattern, URLResolver, path

from pulso.alerts import views

app_name = "alerts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.alerts, name="list"),
    path("subscribe/", views.subscribe, name="subscribe"),
]
