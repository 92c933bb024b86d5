"""What the wiki's renderer shows for photos and videos (registered as wiki.markup's media source).

A photo is shown through its renditions only, never its stored file: WebP at
a few widths in `srcset`, loaded lazily, with its caption, credit and licence.
All the photos of a text are read in one query, their renditions in one more.
A video is a placeholder with a link to it and a line saying what clicking
sends to whom; static/gallery/video.js loads the player on click.
"""

from django.core.cache import cache
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from civic import generation, pagecache
from gallery import videos

# Widths offered in srcset (WebP); the middle one is also the plain `src`.
WIDTHS = (320, 640, 1024, 1600)
FILTERS = tuple(f"width-{width}|format-webp" for width in WIDTHS)
SRC_FILTER = FILTERS[1]
SIZES = "(max-width: 48rem) 100vw, 48rem"


def invalidate():
    """Forget every rendered text and cached page showing a photo or a video (a photo hidden, providers changed)."""
    cache.delete(videos.PROVIDERS_KEY)
    generation.bump(videos.GENERATION_KEY)
    pagecache.invalidate()


class ShownPhoto:
    def __init__(self, photo):
        self.photo = photo

    def renditions(self):
        image = self.photo.image
        found = image.get_renditions(*FILTERS)
        seen, items = set(), []
        for spec in FILTERS:
            rendition = found[spec]
            if rendition.width not in seen:
                seen.add(rendition.width)
                items.append(rendition)
        return found[SRC_FILTER], items

    def html(self, *, alt, caption, block):
        photo = self.photo
        src, items = self.renditions()
        srcset = ", ".join(f"{rendition.url} {rendition.width}w" for rendition in items)
        img = format_html(
            '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">',
            src.url,
            srcset,
            SIZES,
            src.width,
            src.height,
            alt or photo.alt_text,
        )
        if not block:
            return img
        text = caption or photo.caption
        credit = format_html(
            '{} <a href="{}">{}</a>',
            _("Photo: %(author)s,") % {"author": photo.credit},
            photo.licence_url,
            photo.get_licence_display(),
        )
        caption_html = format_html("{} — {}", text, credit) if text else credit
        # The same link for everyone (pages are cached): discussion's report form says who may report.
        report = format_html(
            '<a href="{}">{}</a>', reverse("discussion:report-photo", args=[photo.pk]), _("Report this photo")
        )
        return format_html(
            '<figure class="photo">{}<figcaption>{} · {}</figcaption></figure>', img, caption_html, report
        )


class MediaSource:
    """wiki.markup's media source: photos by id, videos of the allowed providers."""

    def photos(self, ids):
        from gallery.models import Photo

        return {photo.pk: ShownPhoto(photo) for photo in shown_photos(Photo.objects.visible().filter(pk__in=ids))}

    def video(self, url):
        video = videos.find_video(url)
        if video is None:
            return None
        return format_html(
            '<div class="video-embed" data-embed="{}"><p>{} <a href="{}">{}</a></p><p>{}</p></div>',
            video.embed_url,
            _("Video:"),
            video.watch_url,
            video.watch_url,
            _(
                "Playing it on this page loads it from %(host)s: your browser then sends %(provider)s "
                "your IP address and may receive its cookies. Nothing is sent before you click."
            )
            % {"host": video.host, "provider": video.provider},
        )

    def fingerprint(self):
        return str(videos.media_generation())


def shown_photos(photos):
    """The photos with their image and the renditions the pages use (two queries in all)."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=FILTERS)
    return photos.select_related("image").prefetch_related(
        Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
