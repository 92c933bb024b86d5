"""Themes the leaderboard and the report can filter by, provided by a higher app.

The themes are the wiki's (wiki.models.Theme), but members sits below wiki and
imports none of it: wiki registers its provider when the apps are ready
(WikiConfig.ready), and scoring and the filter forms ask this module.
"""

_provider = None


def register_provider(provider):
    """`provider` answers `themes()` (a queryset ordered by name), `get(pk)` and `carrying(theme, field)`."""
    global _provider
    _provider = provider


def themes():
    """Every theme, ordered by name (a queryset)."""
    return _provider.themes()


def theme_by_id(pk):
    """The theme with this id, or None (deleted since)."""
    return _provider.get(pk) if pk else None


def carrying(theme, field="pk"):
    """Q: the page whose id is in `field` carries `theme` (the provider's subquery)."""
    return _provider.carrying(theme, field)
