from django.urls import path

from gallery import feeds, views

app_name = "gallery"

urlpatterns = [
    path("place/<id:page_id>/edit/", views.place, {"mode": "edit"}, name="place-edit"),
    path("place/<id:page_id>/new/", views.place, {"mode": "new"}, name="place-new"),
    path("review/", views.review, name="review"),
    path("featured/feed/", feeds.FeaturedFeed(), name="featured-feed"),
    path("featured/feed/theme/<str:slug>/", feeds.FeaturedFeed(), name="featured-theme-feed"),
    path("featured/feed/commune/<id:commune_id>/", feeds.FeaturedFeed(), name="featured-commune-feed"),
    path("documents/<id:page_id>/", views.documents, name="documents"),
    path("documents/remove/<id:document_id>/", views.remove_document, name="remove-document"),
    path("<id:photo_id>/hide/", views.hide, name="hide"),
    path("<id:photo_id>/show/", views.show, name="show"),
    path("<id:photo_id>/patrol/", views.patrol, name="patrol"),
]
