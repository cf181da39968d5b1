from django.urls import path

from pulso.journeys import views

app_name = "journeys"
urlpatterns = [
    path("", views.journey_list, name="list"),
    path("new/", views.journey_create, name="create"),
    path("<slug:slug>/", views.journey_map, name="map"),
    path("<slug:slug>/edit/", views.journey_edit, name="edit"),
    path("<slug:slug>/stages/new/", views.stage_create, name="stage_create"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/move/", views.stage_move, name="stage_move"),
    path("stages/<int:pk>/delete/", views.stage_delete, name="stage_delete"),
    path("stages/<int:pk>/archive/", views.stage_archive, name="stage_archive"),
    path("stages/<int:pk>/touchpoints/new/", views.touchpoint_create, name="touchpoint_create"),
    path("touchpoints/<int:pk>/edit/", views.touchpoint_edit, name="touchpoint_edit"),
    path("touchpoints/<int:pk>/delete/", views.touchpoint_delete, name="touchpoint_delete"),
]
