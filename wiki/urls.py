"""Wiki URLs outside the page tree (page-level actions are routes on the pages)."""

from django.urls import path

from wiki import feeds, follow_views, themes, views

app_name = "wiki"

urlpatterns = [
    path("recent-changes/", views.recent_changes, name="recent-changes"),
    path("recent-changes/feed/", feeds.RecentChangesFeed(), name="recent-changes-feed"),
    path("search/", views.search, name="search"),
    path("page-titles/", views.page_titles, name="page-titles"),
    path("projects/", views.projects, name="projects"),
    path("themes/", themes.theme_index, name="themes"),
    path("themes/<str:slug>/", themes.theme_detail, name="theme"),
    # Under /me/ beside members' own pages (members.urls has no "follows/"); wiki owns PageFollow.
    path("me/follows/", follow_views.followed_pages, name="followed-pages"),
    path("me/follows/stop/<str:token>/", follow_views.unfollow_all, name="unfollow-all"),
]
