"""Workshop URLs outside the page tree (RSVP links, private calendar feeds)."""

app_name = "workshops"

urlpatterns = []
