from django.contrib.auth import views as auth_views
from django.urls import include, path

from pulso.accounts import views
from pulso.accounts.forms import BaseUrlPasswordResetForm
from pulso.accounts.oidc import AuthenticateView, CallbackView

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("oidc/authenticate/", AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=BaseUrlPasswordResetForm),
        name="password_reset",
    ),
    path("", include("django.contrib.auth.urls")),
]
