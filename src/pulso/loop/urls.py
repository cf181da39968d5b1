from django.urls import URLPattern, URLResolver, path

from pulso.loop import views

app_name = "loop"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="list"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/status/", views.case_status, name="status"),
    path("<int:pk>/note/", views.case_note, name="note"),
    path("<int:pk>/contact/", views.case_contact, name="contact"),
    path("<int:pk>/details/", views.case_details, name="details"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("deliveries/<str:kind>/<int:pk>/resend/", views.delivery_resend, name="resend"),
    path("recovery/<slug:token>/", views.recovery, name="recovery"),
]
