/*
 * The home page's map of export villages (Leaflet). The villages come from the JSON element
 * #village-map-points; each marker opens a popup linking to the village's page. With a tile
 * server configured (data-tile-url) the map shows its tiles; otherwise it draws the provinces'
 * outlines from data-outlines, so it works with no tile server reachable. The page lists the
 * same villages without JavaScript.
 */
(function () {
  "use strict";

  var INDONESIA = [
    [-11.1, 94.9],
    [6.1, 141.1],
  ];

  function popupContent(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    link.className = "village-map__popup-link";
    box.appendChild(link);
    if (point.commodity) {
      var commodity = document.createElement("p");
      commodity.className = "village-map__popup-meta";
      commodity.textContent = point.commodity;
      box.appendChild(commodity);
    }
    return box;
  }

  function drawOutlines(map, address) {
    return fetch(address, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("outlines: " + response.status);
        }
        return response.json();
      })
      .then(function (outlines) {
        L.geoJSON(outlines, {
          interactive: false,
          style: function () {
            return {
              color: "#0b5d4b",
              weight: 1,
              fillColor: "#d3e4d8",
              fillOpacity: 1,
            };
          },
        })
          .addTo(map)
          .bringToBack();
      })
      .catch(function () {
        // Without outlines the markers still show where the villages are.
      });
  }

  function start() {
    var element = document.getElementById("village-map");
    var data = document.getElementById("village-map-points");
    if (!element || !data || !window.L) {
      return;
    }
    var points = JSON.parse(data.textContent);
    element.textContent = "";
    element.classList.add("village-map--ready");

    var map = L.map(element, { scrollWheelZoom: false, minZoom: 4, maxZoom: 14 });
    map.fitBounds(INDONESIA);
    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com/" hreflang="en">Leaflet</a>'
    );

    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    } else {
      drawOutlines(map, element.dataset.outlines);
    }

    var icon = L.divIcon({ className: "village-map__marker", iconSize: [18, 18] });
    var markers = points.map(function (point) {
      return L.marker([point.lat, point.lon], {
        icon: icon,
        title: point.name,
        alt: point.name,
        keyboard: true,
        riseOnHover: true,
      }).bindPopup(popupContent(point));
    });
    if (markers.length) {
      var group = L.featureGroup(markers).addTo(map);
      if (markers.length > 1) {
        map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 7 });
      } else {
        map.setView(markers[0].getLatLng(), 7);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
