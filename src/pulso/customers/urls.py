from django.urls import path

from pulso.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("import/", views.customer_import, name="import"),
    path("import/<int:pk>/", views.customer_import_review, name="import_review"),
    path("actions/import/", views.action_import, name="action_import"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
