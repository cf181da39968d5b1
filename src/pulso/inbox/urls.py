from django.urls import URLPattern, URLResolver, path

from pulso.inbox import views

app_name = "inbox"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.conversation_list, name="list"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/transcript/", views.transcript, name="transcript"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/canned/", views.fill_canned_answer, name="fill_canned"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("<int:pk>/close/", views.close, name="close"),
    path("articles/", views.article_list, name="articles"),
    path("articles/new/", views.article_edit, name="article_create"),
    path("articles/<int:pk>/", views.article_edit, name="article_edit"),
    path("canned/", views.canned_list, name="canned"),
    path("canned/new/", views.canned_edit, name="canned_create"),
    path("canned/<int:pk>/", views.canned_edit, name="canned_edit"),
    path("canned/<int:pk>/delete/", views.canned_delete, name="canned_delete"),
]
