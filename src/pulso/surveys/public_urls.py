"""Public (no login) survey pages: open links, per-unit links, personal invitations.

Tokens (``secrets.token_urlsafe``) and org unit codes (slugs) only ever hold ``[-a-zA-Z0-9_]``:
the slug converter turns anything else (a NUL byte, which PostgreSQL refuses) into a 404.
"""

from django.urls import URLPattern, URLResolver, path

from pulso.surveys import public_views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("i/<slug:token>/", public_views.invitation_survey, name="invitation"),
    path("<slug:token>/", public_views.open_survey, name="open"),
    path("<slug:token>/u/<slug:code>/", public_views.unit_survey, name="unit"),
    path("<slug:token>/thanks/", public_views.thanks, name="thanks"),
]
