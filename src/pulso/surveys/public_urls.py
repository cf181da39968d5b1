"""Public (no login) survey pages: open links, per-unit links, personal invitations."""

from django.urls import URLPattern, URLResolver, path

from pulso.surveys import public_views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("i/<str:token>/", public_views.invitation_survey, name="invitation"),
    path("<str:token>/", public_views.open_survey, name="open"),
    path("<str:token>/u/<str:code>/", public_views.unit_survey, name="unit"),
    path("<str:token>/thanks/", public_views.thanks, name="thanks"),
]
