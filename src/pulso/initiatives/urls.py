from django.urls import URLPattern, URLResolver, path

from pulso.initiatives import views

app_name = "initiatives"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.portfolio, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/pilots/new/", views.pilot_create, name="pilot_create"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pk>/edit/", views.pilot_edit, name="pilot_edit"),
    path("pulses/<int:pk>/customers/", views.employees_page, name="employees"),
]
