from django.urls import path

from gallery import views

app_name = "gallery"

urlpatterns = [
    path("place/<id:page_id>/edit/", views.place, {"mode": "edit"}, name="place-edit"),
    path("place/<id:page_id>/new/", views.place, {"mode": "new"}, name="place-new"),
    path("review/", views.review, name="review"),
    path("documents/<id:page_id>/", views.documents, name="documents"),
    path("documents/remove/<id:document_id>/", views.remove_document, name="remove-document"),
    path("<id:photo_id>/hide/", views.hide, name="hide"),
    path("<id:photo_id>/show/", views.show, name="show"),
    path("<id:photo_id>/patrol/", views.patrol, name="patrol"),
]
