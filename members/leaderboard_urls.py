"""Public engagement URLs (/leaderboard/, public contributions pages)."""

from django.urls import path

from members import views

app_name = "leaderboard"

urlpatterns = [
    path("", views.leaderboard, name="show-leaderboard"),
    path("member/<id:member_id>/", views.member_contributions, name="member-contributions"),
]
