from django.urls import URLPattern, URLResolver, path

from pulso.pulses import public_views

app_name = "pulse_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("thanks/", public_views.thanks, name="thanks"),
    path("<str:token>/", public_views.answer, name="answer"),
]
