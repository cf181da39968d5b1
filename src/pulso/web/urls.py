from django.urls import path

from pulso.web import record, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("records/<int:pk>/", record.record_detail, name="record"),
    path("records/<int:pk>/case/", record.record_open_case, name="record_open_case"),
]
