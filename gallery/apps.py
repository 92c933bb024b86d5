from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = _("Photos and videos")

    def ready(self):
        from civic import middleware
        from gallery import (
            personal_data,  # noqa: F401 - registers with members.personal_data
            render,
            videos,
        )
        from wiki import markup

        # The wiki's one renderer asks this app for photos and videos (gallery sits above wiki).
        markup.register_media(render.MediaSource())
        # The CSP's frame-src lists exactly the video providers staff allowed (civic sits below).
        middleware.register_frame_sources(videos.frame_origins)
