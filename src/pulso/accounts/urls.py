from django.contrib.auth import views as auth_views
from django.urls import include, path

from pulso.accounts.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
]
