/* The search form, progressively enhanced with "use my location" (the map is results-map.js).
   Without this script the page still works: a place typed in the box is all a search needs. */
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

  setUpLocationButton();
}());
