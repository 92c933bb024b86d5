"""Public engagement URLs (/leaderboard/, public contributions pages)."""

app_name = "leaderboard"

urlpatterns = []
