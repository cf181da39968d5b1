"""The survey builder (login required); public pages are in public_urls."""

from django.urls import URLPattern, URLResolver, path

from pulso.surveys import views
from pulso.surveys.importers import views as importer_views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("import-history/", importer_views.import_history, name="import_history"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/draft/", views.survey_start_draft, name="start_draft"),
    path("<int:pk>/publish/", views.survey_publish, name="publish"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/preview/", views.survey_preview, name="preview"),
    path("<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("<int:pk>/qr.png", views.survey_qr_png, name="qr_png"),
    path("<int:pk>/qr.svg", views.survey_qr_svg, name="qr_svg"),
    path("<int:pk>/poster.pdf", views.survey_poster, name="poster"),
    path("questions/<int:pk>/", views.question_row, name="question_row"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
]
