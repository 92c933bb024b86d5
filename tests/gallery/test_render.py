"""The wiki's one renderer with photos and videos (gallery.render through wiki.markup), and the one sanitiser."""

import pytest

from gallery import services
from gallery.models import VideoSettings
from wiki import markup

pytestmark = pytest.mark.django_db


def test_a_photo_is_a_figure_of_webp_renditions_loaded_lazily(make_photo):
    photo = make_photo(caption="Le jardin partagé")
    html = str(markup.render(f"Avant le texte.\n\n{photo.markdown}"))
    assert '<figure class="photo"><img src="/media/images/' in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert "srcset=" in html and ".format-webp.webp 320w" in html
    assert 'alt="La passerelle"' in html
    assert "Le jardin partagé" in html and "Nadia" in html and "CC BY-SA 4.0" in html
    assert photo.image.file.name not in html  # never the stored original


def test_photos_side_by_side_are_a_gallery_with_their_own_captions(make_photo):
    before, after = make_photo(alt="Friche"), make_photo(alt="Jardin")
    html = str(markup.render(f'![Friche en 2019](photo:{before.pk} "Avant")\n![](photo:{after.pk} "Après")'))
    assert html.startswith('<div class="photo-gallery"><figure class="photo">')
    assert html.count("<figure") == 2
    assert 'alt="Friche en 2019"' in html and 'alt="Jardin"' in html  # the stored text when none is written
    assert "Avant — " in html and "Après — " in html


def test_a_photo_inside_a_sentence_is_an_inline_image(make_photo):
    photo = make_photo()
    html = str(markup.render(f"Voici {photo.markdown} la passerelle."))
    assert "<p>Voici <img " in html and "<figure" not in html


def test_a_hidden_or_unknown_photo_shows_no_image(make_photo, moderator):
    photo = make_photo()
    services.hide_photo(moderator, photo, "visage")
    for text in (photo.markdown, "![x](photo:999999)"):
        html = str(markup.render(text))
        assert "<img" not in html and "<em>" in html


def test_many_photos_cost_two_queries(make_photo, django_assert_num_queries):
    photos = [make_photo() for _ in range(3)]
    text = " ".join(photo.markdown for photo in photos)
    markup.render(text)  # renditions are made once
    with django_assert_num_queries(2):
        markup.render(text)


def test_the_sanitiser_keeps_only_what_the_renderer_emits():
    html = str(
        markup.render(
            '<img src="/media/a.webp" alt="a" srcset="https://evil.example/a.jpg 100w" loading="lazy" onerror="x()">'
            '<img src="/media/b.webp" alt="b" srcset="/media/b.webp 320w, /media/c.webp 640w">'
            '<div class="video-embed" data-embed="javascript:alert(1)">v</div>'
            '<div class="sneaky" data-embed="https://evil.example/x">w</div>'
            '<figure class="other"><figcaption>c</figcaption></figure>'
        )
    )
    assert "evil.example/a.jpg" not in html and "javascript" not in html and "onerror" not in html
    assert 'srcset="/media/b.webp 320w, /media/c.webp 640w"' in html
    assert 'loading="lazy"' in html
    assert '<div class="video-embed">v</div>' in html
    # Without the class the script never looks at it; with it, the CSP's frame-src still refuses other sites.
    assert '<div data-embed="https://evil.example/x">w</div>' in html
    assert "<figure><figcaption>c</figcaption></figure>" in html


def test_absolute_media_url_of_an_object_storage(settings):
    settings.MEDIA_URL = "https://media.example.fr/quartiers/"
    html = str(
        markup.render(
            '<img src="https://media.example.fr/quartiers/a.webp" alt="a"><img src="https://evil.fr/a.webp" alt="b">'
        )
    )
    assert 'src="https://media.example.fr/quartiers/a.webp"' in html
    assert "evil" not in html


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.dailymotion.com/video/x8abcd1", "https://www.dailymotion.com/embed/video/x8abcd1"),
        (
            "https://video.blender.org/w/9c9Ss2GcnENqnbdM3K4bTv",
            "https://video.blender.org/videos/embed/9c9Ss2GcnENqnbdM3K4bTv",
        ),
    ],
)
def test_a_video_on_its_own_line_is_a_click_to_load_placeholder(url, embed):
    VideoSettings.objects.create(peertube_instances="video.blender.org\nnot a host!")
    html = str(markup.render(f"Regardez :\n\n{url}\n\nFin."))
    assert f'<div class="video-embed" data-embed="{embed.replace("&", "&amp;")}">' in html
    assert f'href="{url}"' in html or "href=" in html  # the link remains without JavaScript
    assert "<iframe" not in html  # nothing loads before the click


def test_a_video_of_a_provider_staff_did_not_allow_stays_a_link():
    settings = VideoSettings.load()
    settings.youtube = False
    settings.save()
    html = str(markup.render("https://www.youtube.com/watch?v=dQw4w9WgXcQ"))
    assert "video-embed" not in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    # A video address inside a sentence is a link too.
    assert "video-embed" not in str(markup.render("Voir https://vimeo.com/76979871 ici"))
