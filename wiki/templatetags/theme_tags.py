"""Template helpers for themes (wiki.themes)."""

from django import template

from wiki.themes import theme_names as names_of

register = template.Library()


@register.filter
def theme_names(themes):
    """“Culture, Mobilité” from a theme set (ids or themes), as a diff or a conflict shows it."""
    return names_of(themes)
