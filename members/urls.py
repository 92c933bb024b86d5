from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("points/", views.points, name="points"),
    path("export/", views.export, name="export-data"),
    path("delete/", views.delete, name="delete-account"),
    path("moderation/<id:decision_id>/appeal/", views.appeal, name="appeal"),
    path("warnings/<id:warning_id>/acknowledge/", views.acknowledge_warning, name="acknowledge-warning"),
]
