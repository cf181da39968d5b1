from django.urls import URLPattern, URLResolver, path

from pulso.crisis import views

app_name = "crisis"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.incident_list, name="list"),
    path("new/", views.create, name="create"),
    path("from-alert/<int:pk>/", views.from_alert, name="from_alert"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/postmortem/", views.postmortem, name="postmortem"),
]
