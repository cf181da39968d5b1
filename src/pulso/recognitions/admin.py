from django.contrib import admin

from pulso.recognitions.models import Recognition


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin[Recognition]):
    list_display = ["employee", "unit", "created_at"]
    list_select_related = ["employee", "unit"]
    raw_id_fields = ["feedback", "employee", "unit"]
