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

  function build(canvas) {
    var data = canvas.dataset;
    var lat = parseFloat(data.lat);
    var lon = parseFloat(data.lon);
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return;
    }
    canvas.closest(".project-map").classList.add("is-enhanced");
    var map = window.L.map(canvas, {
      scrollWheelZoom: false, // scrolling the page must not zoom the map
      keyboard: true, // the map is focusable: arrows pan, + and - zoom
    }).setView([lat, lon], parseInt(data.zoom, 10) || 17);
    window.L.tileLayer(data.tileUrl, {
      maxZoom: 19,
      attribution: attributionHtml(data.attribution, data.attributionUrl),
    }).addTo(map);
    var icon = window.L.icon({
      iconUrl: data.markerIcon,
      iconRetinaUrl: data.markerIcon2x,
      shadowUrl: data.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });
    // Leaflet sets title and alt as properties of the <img>: plain text.
    window.L.marker([lat, lon], {
      icon: icon,
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
