"""Invitation pages, mounted under /customers/invitations/ (the paths in emails already sent)."""

from django.urls import path

from pulso.surveys.distribution import views

app_name = "distribution"
urlpatterns = [
    path("survey/<int:survey_id>/", views.survey_invitations, name="invitations"),
    path("survey/<int:survey_id>/invite/", views.survey_invite, name="invite"),
    path("<int:pk>/bounce/", views.invitation_bounce, name="invitation_bounce"),
    path("open/<slug:token>.gif", views.invitation_pixel, name="invitation_pixel"),
]
