from django.urls import URLPattern, URLResolver, path

from pulso.audits import views

app_name = "audits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_plan, name="plan"),
    path("visits/<int:pk>/", views.visit_detail, name="detail"),
    path("visits/<int:pk>/record/", views.visit_record, name="record"),
    path("visits/<int:pk>/draft/", views.visit_draft, name="draft"),
    path("answers/<int:pk>/photo/", views.answer_photo, name="photo"),
]
