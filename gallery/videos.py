"""Videos of the allowed providers: from the address a resident writes to the player address, and the CSP.

Staff choose the providers in Settings > Videos (gallery.models.VideoSettings).
YouTube plays from its no-cookie domain; PeerTube instances are named one by
one. The page holds a placeholder and a link (gallery.render); the player is
loaded only when the visitor clicks (static/gallery/video.js).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache

from civic import generation

PROVIDERS_KEY = "gallery:video-providers"
GENERATION_KEY = "gallery:generation"
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")
DAILYMOTION_ID = re.compile(r"x[A-Za-z0-9]{2,20}")
PEERTUBE_ID = re.compile(r"[A-Za-z0-9-]{6,64}")
HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")


@dataclass(frozen=True)
class Video:
    provider: str  # shown to the visitor: who gets their address when they click
    watch_url: str
    embed_url: str

    @property
    def host(self):
        return urlsplit(self.embed_url).netloc


@dataclass(frozen=True)
class Providers:
    youtube: bool = False
    vimeo: bool = False
    dailymotion: bool = False
    peertube: frozenset = frozenset()

    def origins(self):
        """The origins the CSP's frame-src must allow: exactly these providers' players."""
        origins = []
        if self.youtube:
            origins.append("https://www.youtube-nocookie.com")
        if self.vimeo:
            origins.append("https://player.vimeo.com")
        if self.dailymotion:
            origins.append("https://www.dailymotion.com")
        origins += [f"https://{host}" for host in sorted(self.peertube)]
        return origins


def parse_instances(text):
    return frozenset(
        line.strip().lower().rstrip("/") for line in (text or "").splitlines() if HOST.fullmatch(line.strip().lower())
    )


def providers():
    """The allowed providers, from the cache (one query when it was forgotten)."""
    found = cache.get(PROVIDERS_KEY)
    if found is None:
        from gallery.models import VideoSettings

        row = VideoSettings.load()
        found = Providers(row.youtube, row.vimeo, row.dailymotion, parse_instances(row.peertube_instances))
        cache.set(PROVIDERS_KEY, found, 3600)
    return found


def frame_origins(request):
    return providers().origins()


def _youtube(parts):
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        video_id = parts.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/shorts/", "/embed/", "/live/")):
            video_id = parts.path.split("/")[2]
        else:
            return None
    else:
        return None
    if not YOUTUBE_ID.fullmatch(video_id):
        return None
    return Video(
        "YouTube (Google)",
        f"https://www.youtube.com/watch?v={video_id}",
        f"https://www.youtube-nocookie.com/embed/{video_id}",
    )


def _vimeo(parts):
    if parts.netloc.lower().removeprefix("www.") != "vimeo.com":
        return None
    video_id = parts.path.strip("/")
    if not VIMEO_ID.fullmatch(video_id):
        return None
    return Video("Vimeo", f"https://vimeo.com/{video_id}", f"https://player.vimeo.com/video/{video_id}?dnt=1")


def _dailymotion(parts):
    host = parts.netloc.lower().removeprefix("www.")
    if host == "dai.ly":
        video_id = parts.path.strip("/")
    elif host == "dailymotion.com" and parts.path.startswith("/video/"):
        video_id = parts.path.split("/")[2]
    else:
        return None
    video_id = video_id.split("_")[0]
    if not DAILYMOTION_ID.fullmatch(video_id):
        return None
    return Video(
        "Dailymotion",
        f"https://www.dailymotion.com/video/{video_id}",
        f"https://www.dailymotion.com/embed/video/{video_id}",
    )


def _peertube(parts, instances):
    host = parts.netloc.lower()
    if host not in instances:
        return None
    segments = parts.path.strip("/").split("/")
    if len(segments) == 2 and segments[0] == "w":
        video_id = segments[1]
    elif len(segments) == 3 and segments[:2] in (["videos", "watch"], ["videos", "embed"]):
        video_id = segments[2]
    else:
        return None
    if not PEERTUBE_ID.fullmatch(video_id):
        return None
    return Video(f"PeerTube ({host})", f"https://{host}/w/{video_id}", f"https://{host}/videos/embed/{video_id}")


def find_video(url, allowed=None):
    """The Video at `url` when its provider is allowed, else None."""
    allowed = allowed or providers()
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or len(url) > 500:
        return None
    if allowed.youtube and (video := _youtube(parts)):
        return video
    if allowed.vimeo and (video := _vimeo(parts)):
        return video
    if allowed.dailymotion and (video := _dailymotion(parts)):
        return video
    return _peertube(parts, allowed.peertube)


def media_generation():
    return generation.current(GENERATION_KEY)
