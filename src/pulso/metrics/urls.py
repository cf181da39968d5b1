from django.urls import URLPattern, URLResolver, path

from pulso.metrics import views

app_name = "metrics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("journeys/<slug:slug>/", views.journey, name="journey"),
    path("units/<slug:code>/", views.unit, name="unit"),
    path("touchpoints/<int:pk>/", views.touchpoint, name="touchpoint"),
    path("league/", views.league, name="league"),
    path("explorer/", views.explorer, name="explorer"),
    path("explorer/export.csv", views.export_csv, name="export_csv"),
    path("explorer/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
