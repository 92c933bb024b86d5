from django.urls import path

from discussion import views

app_name = "discussion"

urlpatterns = [
    path("<id:page_id>/", views.discussion, name="page"),
    path("comment/<id:comment_id>/reply/", views.reply, name="reply"),
    path("comment/<id:comment_id>/edit/", views.edit, name="edit"),
    path("comment/<id:comment_id>/delete/", views.delete, name="delete"),
    path("report/comment/<id:comment_id>/", views.report_comment, name="report-comment"),
    path("report/revision/<id:revision_id>/", views.report_revision, name="report-revision"),
    path("report/photo/<id:photo_id>/", views.report_photo, name="report-photo"),
    path("report/member/<id:member_id>/", views.report_member, name="report-member"),
]
