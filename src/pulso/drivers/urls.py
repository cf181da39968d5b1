from django.urls import URLPattern, URLResolver, path

from pulso.drivers import views

app_name = "drivers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.drivers, name="drivers"),
]
