from django import template

from wiki import markup

register = template.Library()


@register.filter
def answer_html(body):
    """A question's details or an answer, Markdown as safe HTML: the wiki's one renderer and sanitiser."""
    return markup.render(body)
