/* The map beside the search results, drawn by Leaflet from the list itself (each result carries its coordinates).
   The list is the accessible path: pins are out of the Tab order and hidden from screen readers, and everything a
   pin says is in the list. Works with zero, one or hundreds of clinics; pins that would overlap become one
   numbered cluster that zooms in when tapped. Without a tile server it draws the state borders
   (us-states.js, loaded by the page only then). */
(function () {
  "use strict";

  var MILE = 1609.344;
  var CROWDED_PX = 30; // closer than this, two 26 px pins overlap as tap targets

  function note(el, text) {
    var p = document.createElement("p");
    p.className = "map-note";
    p.textContent = text;
    el.parentNode.insertBefore(p, el.nextSibling);
  }

  function background(map, el) {
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
      return;
    }
    el.classList.add("no-tiles");
    if (window.US_STATES_OUTLINE) {
      L.geoJSON(window.US_STATES_OUTLINE, { interactive: false, style: { color: "#7b8798", weight: 1.2 } })
        .addTo(map);
    }
    note(el, "No street map is configured: the map shows state borders. The list has every detail.");
  }

  function clinicsInList() {
    return Array.prototype.map.call(document.querySelectorAll(".result[data-lat]"), function (row) {
      return {
        latlng: L.latLng(parseFloat(row.dataset.lat), parseFloat(row.dataset.lon)),
        name: row.dataset.name, url: row.dataset.url, number: row.dataset.number || ""
      };
    }).filter(function (c) { return !isNaN(c.latlng.lat) && !isNaN(c.latlng.lng); });
  }

  // Greedy clustering in screen pixels at the current zoom: each clinic joins the first group whose first member is
  // closer than CROWDED_PX, in list order, so a group is labelled by its nearest clinic's number.
  function groupsAtZoom(map, clinics) {
    var groups = [];
    clinics.forEach(function (clinic) {
      var at = map.latLngToLayerPoint(clinic.latlng);
      for (var i = 0; i < groups.length; i++) {
        if (groups[i].at.distanceTo(at) < CROWDED_PX) { groups[i].members.push(clinic); return; }
      }
      groups.push({ at: at, members: [clinic] });
    });
    return groups;
  }

  function hidden(marker) {
    // Pins are pictures of the list: not announced, not focusable (keyboard: false keeps tabindex off).
    marker.on("add", function () {
      var icon = marker.getElement();
      if (icon) icon.setAttribute("aria-hidden", "true");
    });
    return marker;
  }

  function pin(clinic) {
    var icon = L.divIcon({ className: "map-pin", html: "", iconSize: [26, 26], iconAnchor: [13, 13] });
    var marker = L.marker(clinic.latlng, { icon: icon, title: clinic.name, keyboard: false });
    marker.on("add", function () { marker.getElement().textContent = clinic.number; });
    var link = document.createElement("a");
    link.href = clinic.url;
    link.textContent = clinic.name;
    return hidden(marker.bindPopup(link));
  }

  function cluster(map, group) {
    var members = group.members;
    var size = members.length < 10 ? 34 : members.length < 100 ? 40 : 46;
    var icon = L.divIcon({ className: "map-cluster", html: "", iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
    var bounds = L.latLngBounds(members.map(function (c) { return c.latlng; }));
    var marker = L.marker(bounds.getCenter(), { icon: icon, keyboard: false,
                                                title: members.length + " clinics: zoom in to see them" });
    marker.on("add", function () { marker.getElement().textContent = members.length; });
    marker.on("click", function () {
      var zoom = map.getBoundsZoom(bounds);
      if (zoom > map.getZoom() && zoom <= map.getMaxZoom()) {
        map.fitBounds(bounds, { padding: [40, 40] });
        return;
      }
      // Same building, or as close as the map can zoom: list them.
      var list = document.createElement("ul");
      list.className = "map-cluster-list";
      members.forEach(function (c) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = c.url;
        link.textContent = (c.number ? c.number + ". " : "") + c.name;
        item.appendChild(link);
        list.appendChild(item);
      });
      L.popup().setLatLng(bounds.getCenter()).setContent(list).openOn(map);
    });
    return hidden(marker);
  }

  function setUpMap() {
    var el = document.getElementById("results-map");
    if (!el || !window.L) return;
    var center = L.latLng(parseFloat(el.dataset.lat), parseFloat(el.dataset.lon));
    if (isNaN(center.lat) || isNaN(center.lng)) return;
    el.textContent = "";
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", "Map of the clinics in the list (the list has every detail)");
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: 16 });
    var radiusMi = parseFloat(el.dataset.radiusMi);
    var clinics = clinicsInList();
    // The view comes first, from coordinates alone: layers (and their bounds) need a map that has a view.
    var bounds;
    if (clinics.length) {
      bounds = L.latLngBounds([center].concat(clinics.map(function (c) { return c.latlng; })));
    } else if (radiusMi > 0) {
      bounds = center.toBounds(2 * radiusMi * MILE);
    } else {
      bounds = center.toBounds(2 * 25 * MILE);
    }
    map.fitBounds(bounds, { padding: [32, 32], maxZoom: 13 });
    background(map, el);
    hidden(L.circleMarker(center, { radius: 7, color: "#b3261e", weight: 3, fillOpacity: 0.9 })
      .bindTooltip(el.dataset.label || "Searched place")).addTo(map);
    if (radiusMi > 0) {
      L.circle(center, { radius: radiusMi * MILE, color: "#1f5fa8", weight: 1, fill: false, interactive: false })
        .addTo(map);
    }

    var layer = L.layerGroup().addTo(map);
    function draw() {
      layer.clearLayers();
      groupsAtZoom(map, clinics).forEach(function (group) {
        layer.addLayer(group.members.length === 1 ? pin(group.members[0]) : cluster(map, group));
      });
    }
    map.on("zoomend", draw);
    draw();
    el.classList.add("map-ready");
  }

  setUpMap();
}());
