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


# Where the location picker opens when the project has no location yet and no project around has one.
FRANCE_CENTRE = ("46.6", "2.4")
PICKER_ZOOM_NEAR = 14
PICKER_ZOOM_FAR = 5


def _picker_centre(form, near):
    """(lat, lon, zoom): the project's own location, else the middle of the located projects of its commune."""
    from django.db.models import Avg
    from wagtail.models import Page

    from wiki.models import ProjectPage

    lat, lon = form["latitude"].value(), form["longitude"].value()
    try:
        if lat not in (None, "") and lon not in (None, "") and abs(float(lat)) <= 90 and abs(float(lon)) <= 180:
            return f"{float(lat):f}", f"{float(lon):f}", MAP_ZOOM
    except (TypeError, ValueError):
        pass  # what the author typed is not a number: the form says so; the map opens on the commune
    prefix = near.path[: Page.steplen * 3] if near is not None and near.depth >= 3 else ""
    middle = (
        ProjectPage.objects.live()
        .filter(path__startswith=prefix, latitude__isnull=False, longitude__isnull=False)
        .aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    if middle["lat"] is not None:
        return f"{middle['lat']:f}", f"{middle['lon']:f}", PICKER_ZOOM_NEAR
    return (*FRANCE_CENTRE, PICKER_ZOOM_FAR)


@register.inclusion_tag("wiki/includes/location_picker.html")
def location_picker(form, near):
    """A map to place a project (static/wiki/location-picker.js): a click fills the latitude and longitude.

    The two inputs stay the way to type or correct a location without JavaScript or a mouse.
    `near`: the project, or the page it is created under (the map opens on its commune).
    """
    lat, lon, zoom = _picker_centre(form, near)
    return {
        "lat": lat,
        "lon": lon,
        "zoom": zoom,
        "latitude_id": form["latitude"].id_for_label,
        "longitude_id": form["longitude"].id_for_label,
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "attribution_url": settings.MAP_ATTRIBUTION_URL,
    }
