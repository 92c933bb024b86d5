"""Wiki URLs outside the page tree (page-level actions are routes on the pages)."""

app_name = "wiki"

urlpatterns = []
