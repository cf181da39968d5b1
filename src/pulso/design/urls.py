from django.urls import URLPattern, URLResolver, path

from pulso.design import views

app_name = "design"
urlpatterns: list[URLPattern | URLResolver] = [
    path("archetypes/", views.archetype_list, name="archetypes"),
    path("archetypes/find/", views.archetype_find, name="archetype_find"),
    path("archetypes/<int:pk>/", views.archetype_detail, name="archetype"),
    path("archetypes/<int:pk>/edit/", views.archetype_edit, name="archetype_edit"),
    path("blueprints/<slug:slug>/", views.blueprint_page, name="blueprint"),
    path("blueprints/<slug:slug>/pdf/", views.blueprint_pdf, name="blueprint_pdf"),
    path("blueprints/<slug:slug>/svg/", views.blueprint_svg, name="blueprint_svg"),
    path("touchpoints/<int:pk>/blueprint/", views.blueprint_edit, name="blueprint_edit"),
]
