from django.urls import URLPattern, URLResolver, path

from pulso.pulses import views

app_name = "pulses"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.pulse_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.results, name="results"),
    path("<int:pk>/results.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/invite/", views.invite, name="invite"),
]
