"""Index Wagtail's page URLs: HomePage.route looks pages up by `url_path`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wiki", "0005_default_themes"), ("wagtailcore", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS wiki_page_url_path_idx ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS wiki_page_url_path_idx",
        )
    ]
