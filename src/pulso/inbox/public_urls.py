"""The chat widget's public endpoints and the satisfaction page (see ``public_views``)."""

from django.urls import URLPattern, URLResolver, path

from pulso.inbox import public_views

app_name = "chat"
urlpatterns: list[URLPattern | URLResolver] = [
    path("conversations/", public_views.start, name="start"),
    path("conversations/<int:pk>/messages/", public_views.messages, name="messages"),
    path("conversations/<int:pk>/person/", public_views.ask_for_person, name="person"),
    path("conversations/<int:pk>/end/", public_views.end, name="end"),
    path("conversations/<int:pk>/rating/", public_views.rating, name="rating"),
    path("rate/<str:token>/", public_views.rate, name="rate"),
]
