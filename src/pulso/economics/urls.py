from django.urls import path

from pulso.economics import views

app_name = "economics"
urlpatterns = [
    path("", views.overview, name="overview"),
]
