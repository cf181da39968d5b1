from django.urls import URLPattern, URLResolver, path

from pulso.textanalytics import views

app_name = "textanalytics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("summary/", views.summary_page, name="summary"),
    path("analyse-pending/", views.analyse_pending, name="analyse_pending"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/test/", views.rule_test, name="rule_test"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/delete/", views.topic_delete, name="topic_delete"),
    path("topics/<int:pk>/examples/", views.topic_example, name="topic_example"),
    path("models/", views.model_list, name="models"),
    path("models/retrain/", views.retrain, name="retrain"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/find/", views.find_themes, name="find_themes"),
    path("themes/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("themes/<int:pk>/dismiss/", views.theme_dismiss, name="theme_dismiss"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
]
