"""`{% current_brand as brand %}` and `{% site_url %}`: the brand where no request is at hand (emails)."""

from django import template
from django.conf import settings

from civic import brand

register = template.Library()


@register.simple_tag
def current_brand():
    return brand.current()


@register.simple_tag
def site_url():
    return settings.SITE_URL
