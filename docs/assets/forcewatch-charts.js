/* Draws the page's Vega-Lite charts (forcewatch/site/charts.py) from the JSON block beside
   each box, as SVG, with the libraries the site ships (assets/vendor/): nothing is fetched. */
(function () {
  "use strict";
  function say(box, text) {
    var p = document.createElement("p");
    p.className = "fw-chart-error";
    p.textContent = text;
    box.appendChild(p);
  }
  function draw(box) {
    var block = document.getElementById(box.id + "-spec");
    if (!block) return;
    if (typeof window.vegaEmbed !== "function") {
      say(box, "This chart needs Vega, which did not load; the table below has the same figures.");
      return;
    }
    var spec = JSON.parse(block.textContent);
    window.vegaEmbed(box, spec, {actions: false, renderer: "svg", tooltip: {theme: "light"}})
      .then(function (result) {
        box.setAttribute("data-drawn", "true");
        // Links in a chart (a mark per incident) open in the same tab, as the site's links do.
        result.view.addEventListener("click", function (event, item) {
          if (item && item.datum && item.datum.href) window.location.href = item.datum.href;
        });
      })
      .catch(function (error) { say(box, "The chart could not be drawn: " + error); });
  }
  function start() {
    var boxes = document.querySelectorAll(".fw-vega");
    for (var i = 0; i < boxes.length; i++) draw(boxes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
