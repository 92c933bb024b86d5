"""The collectivité's brand: colours checked for contrast, the settings of the current site.

`contrast_ratio` is WCAG 2.2's formula (relative luminance of sRGB colours);
BrandSettings refuses a main or accent colour below `MIN_CONTRAST` against the
white text written on it (the header, buttons) — the same ratio holds for that
colour used as link text on the white page.
"""

import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civic import generation as generations

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
TEXT_ON_COLOUR = "#ffffff"  # the text written on the main and accent colours
MIN_CONTRAST = 4.5  # WCAG 2.2 AA, normal text
DEFAULT_SITE_NAME = "Quartiers"
DEFAULT_MAIN_COLOUR = "#083a68"
DEFAULT_ACCENT_COLOUR = "#0b5394"


def _channel(value):
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour):
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first, second):
    """WCAG contrast ratio of two `#rrggbb` colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_colour(value):
    """A `#rrggbb` colour on which white text reaches WCAG AA (4.5:1)."""
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Enter a colour as # followed by six hexadecimal digits, e.g. #083a68."), code="format")
    ratio = contrast_ratio(value, TEXT_ON_COLOUR)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of %(ratio)s:1, below the %(minimum)s:1 that "
                "accessibility requires (WCAG AA). Choose a darker colour."
            ),
            code="contrast",
            params={"ratio": number_format(ratio, 2), "minimum": number_format(MIN_CONTRAST, 1)},
        )


def colours_version(main_colour, accent_colour):
    """A short hash of the colours: the brand stylesheet's URL changes when they do."""
    return hashlib.sha256(f"{main_colour}{accent_colour}".encode()).hexdigest()[:10]


def brand_settings():
    """The BrandSettings of the default site with its pages and logo, in one query (defaults when unset)."""
    from civic.models import BrandSettings

    found = (
        BrandSettings.objects.filter(site__is_default_site=True)
        .select_related("logo", "legal_notice_page", "personal_data_page", "accessibility_page", "contact_page")
        .first()
    )
    return found or BrandSettings()


@dataclass(frozen=True)
class Brand:
    """What the templates show of the brand: plain values, cached between requests."""

    site_name: str = DEFAULT_SITE_NAME
    main_colour: str = DEFAULT_MAIN_COLOUR
    accent_colour: str = DEFAULT_ACCENT_COLOUR
    logo_url: str = ""
    logo_width: int = 0
    logo_height: int = 0
    contact_email: str = ""
    legal_links: tuple = ()  # (label, url)
    footer_links: tuple = ()  # (label, url)

    @property
    def version(self):
        return colours_version(self.main_colour, self.accent_colour)

    @property
    def is_default_colours(self):
        return (self.main_colour, self.accent_colour) == (DEFAULT_MAIN_COLOUR, DEFAULT_ACCENT_COLOUR)


def _build():
    found = brand_settings()
    logo_url, width, height = "", 0, 0
    if found.logo_id:
        rendition = found.logo.get_rendition("height-96")
        logo_url, width, height = rendition.url, rendition.width, rendition.height
    legal = tuple((str(label), page.url) for label, page in found.legal_links if page.url)
    links = tuple((link.label, link.url) for link in found.footer_links.all()) if found.pk else ()
    return Brand(
        site_name=found.site_name,
        main_colour=found.main_colour.lower(),
        accent_colour=found.accent_colour.lower(),
        logo_url=logo_url,
        logo_width=width,
        logo_height=height,
        contact_email=found.contact_email,
        legal_links=legal,
        footer_links=links,
    )


GENERATION_KEY = "brand:generation"


def invalidate(**_signal_kwargs):
    """Forget the cached brand (a save of the settings, a footer link, an information page or an image)."""
    generations.bump(GENERATION_KEY)


def current():
    """The brand of the site, cached until the settings, their pages or images change (`invalidate`)."""
    key = f"brand:{generations.current(GENERATION_KEY)}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _build()
        cache.set(key, found, timeout=3600)
    return found


def context(request):
    """Template context processor: `brand`, looked up only when a template uses it."""
    return {"brand": SimpleLazyObject(current)}
