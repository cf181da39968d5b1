from django.urls import URLPattern, URLResolver, path

from pulso.benchmarks import views

app_name = "benchmarks"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.interaction_grid, name="interactions"),
    path("internal/", views.internal_benchmark, name="internal"),
    path("references/", views.reference_list, name="references"),
    path("references/import/", views.reference_import, name="reference_import"),
    path("references/<int:pk>/delete/", views.reference_delete, name="reference_delete"),
]
