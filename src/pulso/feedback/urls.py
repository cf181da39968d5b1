from django.urls import URLPattern, URLResolver, path

from pulso.feedback import views

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.explorer, name="explorer"),
    path("import/", views.import_upload, name="import"),
    path("import/<str:token>/", views.import_map, name="import_map"),
    path("imports/<int:pk>/", views.import_report, name="import_report"),
    path("imports/<int:pk>/rejected.csv", views.import_rejects_csv, name="import_rejects_csv"),
    path("imports/<int:pk>/undo/", views.import_undo, name="import_undo"),
]
