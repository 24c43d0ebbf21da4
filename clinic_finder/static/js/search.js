/* The search page, progressively enhanced: "use my location" and a Leaflet map of the clinics in the list.
   Without this script (or without map tiles) the page still works: every result is in the list. */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var status = document.getElementById("location-status");

  function setUpLocationButton() {
    var button = document.getElementById("use-my-location");
    if (!form || !button || !("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.elements.q.value = "";
        status.textContent = "Searching near your location…";
        form.submit();
      }, function (error) {
        button.disabled = false;
        var why = error.code === 1 ? "permission was not given" : "your device could not tell us";
        status.textContent = "We could not use your location (" + why + "). Please type a ZIP code or a city.";
      }, { timeout: 15000, maximumAge: 600000 });
    });
    // A typed place replaces a shared location.
    form.elements.q.addEventListener("input", function () {
      form.elements.lat.value = "";
      form.elements.lon.value = "";
    });
  }

  function note(container, text) {
    var p = document.createElement("p");
    p.className = "map-note";
    p.textContent = text;
    container.parentNode.insertBefore(p, container.nextSibling);
    return p;
  }

  function setUpMap() {
    var el = document.getElementById("results-map");
    if (!el || !window.L) return;
    var center = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    if (isNaN(center[0]) || isNaN(center[1])) return;
    el.textContent = "";
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", "Map of the clinics in the list");
    var map = L.map(el, { scrollWheelZoom: false });
    var tileUrl = el.dataset.tileUrl;
    if (tileUrl) {
      var failed = false;
      L.tileLayer(tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 })
        .on("tileerror", function () {
          if (failed) return;
          failed = true;
          el.classList.add("no-tiles");
          note(el, "Map tiles could not load. The markers and the list still show every result.");
        })
        .addTo(map);
    } else {
      el.classList.add("no-tiles");
      note(el, "No map background is configured. The markers show where the clinics are; the list has every detail.");
    }
    var bounds = L.latLngBounds([center]);
    L.circleMarker(center, { radius: 7, color: "#b3261e", weight: 3, fillOpacity: 0.9 })
      .bindTooltip(el.dataset.label || "Searched place").addTo(map);
    var radiusMi = parseFloat(el.dataset.radiusMi);
    var results = document.querySelectorAll(".result[data-lat]");
    if (radiusMi > 0) {
      var circle = L.circle(center, { radius: radiusMi * 1609.344, color: "#1f5fa8", weight: 1, fill: false })
        .addTo(map);
      if (!results.length) bounds = circle.getBounds();
    }
    Array.prototype.forEach.call(results, function (row) {
      var point = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lon)];
      var icon = L.divIcon({ className: "map-pin", html: "", iconSize: [26, 26], iconAnchor: [13, 13] });
      var marker = L.marker(point, { icon: icon, title: row.dataset.name, alt: row.dataset.name, keyboard: true });
      marker.on("add", function () {
        var pin = marker.getElement();
        if (pin) pin.textContent = row.dataset.number || "";
      });
      var link = document.createElement("a");
      link.href = row.dataset.url;
      link.textContent = row.dataset.name;
      marker.bindPopup(link).addTo(map);
      bounds.extend(point);
    });
    map.fitBounds(bounds, { padding: [48, 48], maxZoom: 13 });
    el.classList.add("map-ready");
  }

  setUpLocationButton();
  setUpMap();
}());
