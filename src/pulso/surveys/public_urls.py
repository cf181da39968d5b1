"""Public (no login) survey pages: open links, personal invitations, QR codes."""

from django.urls import URLPattern, URLResolver

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = []
