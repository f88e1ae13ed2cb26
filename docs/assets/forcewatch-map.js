/* The incident map (forcewatch/site/mappage.py): Leaflet and its marker-cluster plugin, shipped
   with the site, over the Natural Earth outlines in assets/region-outlines.js. No tile server,
   nothing fetched: it works from file:// as from a server. Record text reaches the page only
   through textContent and attributes, never as markup. */
(function () {
  "use strict";
  var box = document.getElementById("fw-map");
  var block = document.getElementById("fw-map-data");
  if (!box || !block) return;
  if (!window.L || !L.markerClusterGroup || !window.FW_OUTLINES) {
    var p = document.createElement("p");
    p.className = "fw-chart-error";
    p.textContent = "The map needs Leaflet, which did not load; the table below lists the same incidents.";
    box.appendChild(p);
    return;
  }
  var data = JSON.parse(block.textContent);
  var colours = {};
  data.types.forEach(function (t) { colours[t.term] = t.colour; });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  var w = data.window; // [lon0, lat0, lon1, lat1]
  var map = L.map(box, {zoomSnap: 0.25, minZoom: 3, maxZoom: 11, worldCopyJump: false,
                        maxBounds: [[w[1] - 5, w[0] - 10], [w[3] + 5, w[2] + 10]]});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  var countries = L.geoJSON(window.FW_OUTLINES, {
    interactive: false,
    style: {color: "#9c927b", weight: 0.8, fillColor: "#f6f2e6", fillOpacity: 1}
  }).addTo(map);

  // Sites: a small square and the site's name; names that would overlap another are hidden.
  // Site names sit under the incidents (their own pane), so that no name hides a marker.
  map.createPane("fw-site-names").style.zIndex = 550;
  map.createPane("fw-sites").style.zIndex = 560;  // under the incidents' markers (600)
  var siteLayer = L.layerGroup().addTo(map);
  data.sites.forEach(function (s) {
    var icon = L.divIcon({className: "fw-site", iconSize: [8, 8], html: ""});
    var m = L.marker([s.lat, s.lon], {icon: icon, interactive: false, keyboard: false, pane: "fw-sites"});
    // Leaflet puts a string tooltip in as HTML: give it a text node, never record text as markup.
    m.bindTooltip(document.createTextNode(s.name), {permanent: true, direction: "right", offset: [s.incidents ? 24 : 6, 0],
                           className: "fw-site-label", interactive: false, pane: "fw-site-names"});
    m.fwWeight = s.incidents;
    m.addTo(siteLayer);
  });
  // Country names, for bearings without a tile layer: under the sites' names, and the first
  // to go where names would overlap.
  map.createPane("fw-country-names").style.zIndex = 540;
  var countryLayer = L.layerGroup().addTo(map);
  countries.eachLayer(function (layer) {
    var name = layer.feature.properties.name;
    if (data.labelled.indexOf(name) < 0) return;
    var m = L.marker(layer.getBounds().getCenter(), {icon: L.divIcon({className: "fw-nothing", iconSize: [0, 0]}),
                                                     interactive: false, keyboard: false});
    m.bindTooltip(document.createTextNode(name), {permanent: true, direction: "center", className: "fw-country-label", interactive: false,
                         pane: "fw-country-names"});
    m.fwWeight = -1;
    m.addTo(countryLayer);
  });
  // A name is hidden where it would overlap a name already placed (sites with the most
  // incidents first, countries last) or an incident's marker or group other than its own site's.
  function declutter() {
    var obstacles = Array.prototype.map.call(box.querySelectorAll(".fw-cluster, .fw-marker"), function (e) {
      return e.getBoundingClientRect();
    });
    var placed = [];
    var labels = siteLayer.getLayers().concat(countryLayer.getLayers())
      .sort(function (a, b) { return b.fwWeight - a.fwWeight; });
    labels.forEach(function (m) {
      var tip = m.getTooltip() && m.getTooltip().getElement();
      if (!tip) return;
      tip.classList.remove("fw-hidden");
      var r = tip.getBoundingClientRect();
      var at = map.latLngToContainerPoint(m.getLatLng());
      var origin = box.getBoundingClientRect();
      function overlaps(q) { return r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top; }
      function own(q) {  // the group drawn on this site itself
        var cx = (q.left + q.right) / 2 - origin.left, cy = (q.top + q.bottom) / 2 - origin.top;
        return Math.abs(cx - at.x) < 4 && Math.abs(cy - at.y) < 4;
      }
      var clash = placed.some(overlaps) || obstacles.some(function (q) { return !own(q) && overlaps(q); });
      if (clash) tip.classList.add("fw-hidden"); else placed.push(r);
    });
  }

  function popup(p) {
    var node = el("div", "fw-popup");
    node.appendChild(el("div", "fw-popup-date", p.date === p.end ? p.date : p.date + " to " + p.end));
    node.appendChild(el("strong", "fw-popup-title", p.title));
    var facts = el("dl");
    [["type", p.type], ["place", p.site || p.place], ["killed and injured", p.harm],
     ["verification", p.verification]].forEach(function (pair) {
      facts.appendChild(el("dt", null, pair[0]));
      facts.appendChild(el("dd", null, pair[1]));
    });
    node.appendChild(facts);
    var link = el("a", "fw-popup-link", "Open the incident and its sources");
    link.setAttribute("href", p.href);
    node.appendChild(link);
    return node;
  }

  var markers = data.incidents.map(function (p) {
    var dot = el("span", "fw-dot");
    dot.style.background = colours[p.type] || "#555";
    var icon = L.divIcon({className: "fw-marker", iconSize: [16, 16], html: dot});
    var m = L.marker([p.lat, p.lon], {icon: icon, title: p.date + ": " + p.title, alt: p.title, riseOnHover: true});
    m.fwIncident = p;
    m.bindPopup(function () { return popup(p); }, {maxWidth: 280});
    m.on("add", function () {
      var node = m.getElement();
      if (node) node.setAttribute("data-incident", p.id);
    });
    return m;
  });

  var clusters = L.markerClusterGroup({
    maxClusterRadius: 28, showCoverageOnHover: false, spiderfyOnMaxZoom: true, zoomToBoundsOnClick: true,
    spiderfyDistanceMultiplier: 1.4,
    iconCreateFunction: function (cluster) {
      var children = cluster.getAllChildMarkers();
      var types = {};
      children.forEach(function (c) { types[c.fwIncident.type] = true; });
      var keys = Object.keys(types);
      var n = cluster.getChildCount();
      var size = n < 10 ? 30 : n < 50 ? 36 : 42;
      var ring = el("div", "fw-cluster-ring");
      ring.style.borderColor = keys.length === 1 ? colours[keys[0]] : "#444";
      ring.appendChild(el("span", "fw-cluster-count", String(n)));
      return L.divIcon({className: "fw-cluster", iconSize: [size, size], html: ring});
    }
  });
  clusters.addTo(map);

  var form = document.getElementById("fw-map-filters");
  var count = document.getElementById("fw-map-count");
  function wanted() {
    var f = form ? form.elements : null;
    var want = {from: f ? f.from.value : "", to: f ? f.to.value : "", type: f ? f.type.value : "*",
                weapon: f ? f.weapon.value : "*", claimant: f ? f.claimant.value : "*"};
    return markers.filter(function (m) {
      var p = m.fwIncident;
      if (want.from && p.date < want.from) return false;
      if (want.to && p.date > want.to) return false;
      if (want.type !== "*" && p.type !== want.type) return false;
      if (want.weapon !== "*" && p.weapons.indexOf(want.weapon) < 0) return false;
      if (want.claimant === "" && p.claimants.length) return false;
      if (want.claimant && want.claimant !== "*" && p.claimants.indexOf(want.claimant) < 0) return false;
      return true;
    });
  }
  function update() {
    var shown = wanted();
    clusters.clearLayers();
    clusters.addLayers(shown);
    var unlocated = data.active - data.incidents.length;
    count.textContent = "Showing " + shown.length + " of the " + data.incidents.length +
      " incidents with coordinates" + (unlocated ? " (" + unlocated + " more have none: listed below the map)." : ".");
    box.setAttribute("data-shown", String(shown.length));
    if (started) declutter();
  }
  var started = false;
  if (form) {
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  // The first view holds every incident and the whole of the countries they are in.
  var view = L.latLngBounds([]);
  markers.forEach(function (m) { view.extend(m.getLatLng()); });
  countries.eachLayer(function (layer) {
    if (data.countries.indexOf(layer.feature.properties.name) >= 0) view.extend(layer.getBounds());
  });
  if (view.isValid()) map.fitBounds(view.pad(0.05), {maxZoom: 6});
  else map.fitBounds([[w[1], w[0]], [w[3], w[2]]]);
  update();
  started = true;
  map.on("zoomend moveend", declutter);
  clusters.on("animationend spiderfied unspiderfied", declutter);
  declutter();
  box.setAttribute("data-ready", "true");
  window.fwMap = {map: map, clusters: clusters, markers: markers};
})();
