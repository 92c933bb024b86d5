/*
 * The new-page and edit forms of a project: place it on a map (templates/wiki/includes/location_picker.html).
 *
 * An enhancement of the latitude and longitude inputs, which stay visible and remain the way
 * to type a location without JavaScript, without a mouse, or when the tiles cannot load. A
 * click (or "Place the project at the centre of the map", for the keyboard) fills them in;
 * typing in them moves the marker. Leaflet is the one of the project maps (static/vendor/leaflet).
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

  function parse(input, limit) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) && Math.abs(value) <= limit ? value : null;
  }

  function build(picker) {
    if (picker.dataset.built) {
      return;
    }
    var data = picker.dataset;
    var latInput = document.getElementById(data.latitudeInput);
    var lonInput = document.getElementById(data.longitudeInput);
    var canvas = picker.querySelector(".location-picker-canvas");
    var status = picker.querySelector("[data-location-status]");
    if (!latInput || !lonInput || !canvas) {
      return;
    }
    picker.hidden = false;
    if (!canvas.offsetParent) {
      picker.hidden = true; // in a hidden group: built when it is shown (quartiers:shown)
      return;
    }
    picker.dataset.built = "1";
    var L = window.L;
    var map = L.map(canvas, { scrollWheelZoom: false, keyboard: true }).setView(
      [parseFloat(data.lat), parseFloat(data.lon)],
      parseInt(data.zoom, 10) || 14
    );
    L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: attributionHtml(data.attribution, data.attributionUrl) }).addTo(
      map
    );
    var icon = L.icon({
      iconUrl: data.markerIcon,
      iconRetinaUrl: data.markerIcon2x,
      shadowUrl: data.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });
    var marker = null;

    function showMarker(lat, lon) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.marker([lat, lon], { icon: icon, alt: data.markerAlt, keyboard: false, interactive: false }).addTo(map);
      }
    }

    function place(lat, lon) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      showMarker(lat, lon);
      status.textContent = status.dataset.placed.replace("{lat}", latInput.value).replace("{lon}", lonInput.value);
    }

    function fromInputs() {
      var lat = parse(latInput, 90);
      var lon = parse(lonInput, 180);
      if (lat !== null && lon !== null) {
        showMarker(lat, lon);
        map.panTo([lat, lon]);
      }
    }

    map.on("click", function (event) {
      var point = event.latlng.wrap();
      place(point.lat, point.lng);
    });
    picker.querySelector("[data-location-centre]").addEventListener("click", function () {
      var centre = map.getCenter().wrap();
      place(centre.lat, centre.lng);
    });
    picker.querySelector("[data-location-clear]").addEventListener("click", function () {
      latInput.value = "";
      lonInput.value = "";
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      status.textContent = status.dataset.cleared;
    });
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);
    fromInputs();
    picker._map = map;
  }

  function start() {
    if (typeof window.L === "undefined" || typeof window.L.map !== "function") {
      return; // Leaflet did not load: the two inputs stay
    }
    var pickers = document.querySelectorAll("[data-location-picker]");
    Array.prototype.forEach.call(pickers, build);
    document.addEventListener("quartiers:shown", function () {
      Array.prototype.forEach.call(pickers, function (picker) {
        if (picker._map) {
          picker._map.invalidateSize();
        } else {
          build(picker);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
