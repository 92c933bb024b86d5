"""The map of a project: Leaflet (static/js/project-map.js) enhances a link to OpenStreetMap.

Without JavaScript, or when the tiles cannot load, the page still shows the
coordinates (in the project's facts) and the link. The map reads everything
from data attributes: no inline script (the CSP forbids it).
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings

register = template.Library()

MAP_ZOOM = 17


def _location(page):
    if not getattr(page, "has_location", False):
        return None
    lat, lon = f"{page.latitude:f}", f"{page.longitude:f}"
    return {
        "lat": lat,
        "lon": lon,
        "osm_url": f"https://www.openstreetmap.org/?{urlencode({'mlat': lat, 'mlon': lon})}#map={MAP_ZOOM}/{lat}/{lon}",
    }


@register.inclusion_tag("wiki/includes/project_map_head.html")
def project_map_head(page):
    """Leaflet's stylesheet, in the <head> of a page that shows a map."""
    return {"location": _location(page)}


@register.inclusion_tag("wiki/includes/project_map.html")
def project_map(page):
    """The map of `page` (a project with a location); nothing when it has no location."""
    return {
        "location": _location(page),
        "title": page.title,
        "zoom": MAP_ZOOM,
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "attribution_url": settings.MAP_ATTRIBUTION_URL,
    }


TERRITORY_MAP_ZOOM = 12


def _markers(projects):
    return [
        {**_location(project), "title": project.title, "url": project.url, "status": project.get_status_display()}
        for project in projects
        if getattr(project, "has_location", False)
    ]


@register.inclusion_tag("wiki/includes/project_map_head.html")
def territory_map_head(projects):
    """Leaflet's stylesheet, when the territory's map has a project to show."""
    return {"location": bool(projects)}


@register.inclusion_tag("wiki/includes/territory_map.html")
def territory_map(projects, title):
    """The map of the territory's projects (wiki.territory.located_projects), and the list it enhances."""
    markers = _markers(projects)
    return {
        "markers": markers,
        "title": title,
        "zoom": TERRITORY_MAP_ZOOM,
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "attribution_url": settings.MAP_ATTRIBUTION_URL,
    }
