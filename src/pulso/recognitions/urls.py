from django.urls import URLPattern, URLResolver, path

from pulso.recognitions import views

app_name = "recognitions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.recognition_list, name="list"),
]
