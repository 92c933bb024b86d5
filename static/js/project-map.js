/*
 * The map of a project (templates/wiki/includes/project_map.html).
 *
 * An enhancement: without JavaScript, or when the tiles cannot load, the page
 * shows the coordinates and a link to OpenStreetMap. Everything comes from the
 * data attributes of `.project-map-canvas`; nothing is written as HTML except
 * the attribution, built here from escaped text (never give Leaflet a page's
 * title as HTML: no popup, no tooltip).
 */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (character) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[character];
    });
  }

  function attributionHtml(text, url) {
    if (!text) {
      return "";
    }
    if (!/^https?:\/\//i.test(url || "")) {
      return escapeHtml(text);
    }
    return '<a href="' + escapeHtml(url) + '">' + escapeHtml(text) + "</a>";
  }

  function markerIcon(data) {
    return window.L.icon({
      iconUrl: data.markerIcon,
      iconRetinaUrl: data.markerIcon2x,
      shadowUrl: data.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });
  }

  function validPoint(lat, lon) {
    return isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  }

  function newMap(canvas, data) {
    canvas.closest(".project-map").classList.add("is-enhanced");
    var map = window.L.map(canvas, {
      scrollWheelZoom: false, // scrolling the page must not zoom the map
      keyboard: true, // the map is focusable: arrows pan, + and - zoom
    });
    window.L.tileLayer(data.tileUrl, {
      maxZoom: 19,
      attribution: attributionHtml(data.attribution, data.attributionUrl),
    }).addTo(map);
    return map;
  }

  // The territory's map (templates/wiki/includes/territory_map.html): one marker per item of the
  // list beside it, which stays for keyboards, screen readers and browsers without JavaScript.
  function buildMany(canvas, items) {
    var data = canvas.dataset;
    var points = [];
    items.forEach(function (item) {
      var lat = parseFloat(item.dataset.lat);
      var lon = parseFloat(item.dataset.lon);
      if (validPoint(lat, lon)) {
        points.push({ lat: lat, lon: lon, title: item.dataset.title, url: item.dataset.url });
      }
    });
    if (!points.length) {
      return;
    }
    var map = newMap(canvas, data);
    var icon = markerIcon(data);
    points.forEach(function (point) {
      var marker = window.L.marker([point.lat, point.lon], {
        icon: icon,
        title: point.title,
        alt: point.title,
        keyboard: false, // the list below is the keyboard's way to each project
      }).addTo(map);
      if (/^\/[^\/]/.test(point.url || "")) {
        marker.on("click", function () {
          window.location.assign(point.url);
        });
      }
    });
    var bounds = window.L.latLngBounds(points.map(function (point) { return [point.lat, point.lon]; }));
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: parseInt(data.zoom, 10) || 15 });
  }

  function build(canvas) {
    var data = canvas.dataset;
    var items = canvas.parentNode.querySelectorAll(".map-markers li[data-lat]");
    if (data.lat === undefined) {
      buildMany(canvas, Array.prototype.slice.call(items));
      return;
    }
    var lat = parseFloat(data.lat);
    var lon = parseFloat(data.lon);
    if (!validPoint(lat, lon)) {
      return;
    }
    var map = newMap(canvas, data);
    map.setView([lat, lon], parseInt(data.zoom, 10) || 17);
    // Leaflet sets title and alt as properties of the <img>: plain text.
    window.L.marker([lat, lon], {
      icon: markerIcon(data),
      title: data.title,
      alt: data.markerAlt,
      keyboard: false, // nothing to activate: no extra tab stop
      interactive: false,
    }).addTo(map);
  }

  function start() {
    if (typeof window.L === "undefined" || typeof window.L.map !== "function") {
      return; // Leaflet did not load: the link to OpenStreetMap stays
    }
    Array.prototype.forEach.call(document.querySelectorAll(".project-map-canvas"), build);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
