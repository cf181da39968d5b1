from django.urls import URLPattern, URLResolver, path

from pulso.reputation import views

app_name = "reputation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("share/", views.share, name="share"),
    path("mentions/<int:pk>/", views.mention_detail, name="mention"),
    path("mentions/<int:pk>/respond/", views.mention_respond, name="mention_respond"),
    path("mentions/<int:pk>/reply/", views.mention_reply, name="mention_reply"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/<int:pk>/", views.feed_edit, name="feed"),
    path("feeds/<int:pk>/poll/", views.feed_poll, name="feed_poll"),
    path("feeds/<int:pk>/delete/", views.feed_delete, name="feed_delete"),
    path("brands/", views.brand_list, name="brands"),
    path("brands/<int:pk>/", views.brand_edit, name="brand"),
    path("brands/<int:pk>/delete/", views.brand_delete, name="brand_delete"),
]
