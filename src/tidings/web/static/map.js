// Offline map: Natural Earth outlines (world-110m.svg) under clusters binned by the server.
// x = longitude, y = -latitude; wheel zooms and dragging pans by changing the viewBox.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const box = document.getElementById("map");
  if (!box) return;
  const clusters = JSON.parse(document.getElementById("map-data").textContent);
  const radius = box.dataset.radius;
  const query = box.dataset.query;
  const svg = document.createElementNS(NS, "svg");
  let view = [-180, -90, 360, 180];
  const apply = () => svg.setAttribute("viewBox", view.join(" "));
  apply();
  svg.setAttribute("data-clusters", clusters.length);
  const img = document.createElementNS(NS, "image");
  for (const [k, v] of Object.entries({href: "/static/world-110m.svg", x: -180, y: -90,
    width: 360, height: 180})) img.setAttribute(k, v);
  svg.appendChild(img);
  const max = Math.max(1, ...clusters.map((c) => c.events));
  const layer = document.createElementNS(NS, "g");
  svg.appendChild(layer);
  for (const c of clusters) {
    const a = document.createElementNS(NS, "a");
    const params = new URLSearchParams(query);
    params.set("near", `${c.lat},${c.lon}`);
    params.set("radius_km", radius);
    a.setAttribute("href", `/events?${params}`);
    const r = 0.8 + 3.2 * Math.sqrt(c.events / max);
    const dot = document.createElementNS(NS, "circle");
    dot.setAttribute("cx", c.lon);
    dot.setAttribute("cy", -c.lat);
    dot.setAttribute("r", r);
    dot.setAttribute("stroke-width", 0.15);
    dot.setAttribute("class", "cluster");
    const title = document.createElementNS(NS, "title");
    title.textContent = `${c.label || ""}: ${c.events} events`;
    dot.appendChild(title);
    a.appendChild(dot);
    if (c.events > 1) {
      const label = document.createElementNS(NS, "text");
      label.setAttribute("x", c.lon);
      label.setAttribute("y", -c.lat);
      label.textContent = c.events;
      a.appendChild(label);
    }
    layer.appendChild(a);
  }
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const rect = svg.getBoundingClientRect();
    const fx = (ev.clientX - rect.left) / rect.width, fy = (ev.clientY - rect.top) / rect.height;
    const k = ev.deltaY < 0 ? 0.8 : 1.25;
    const w = Math.min(360, Math.max(5, view[2] * k)), h = w / 2;
    view = [view[0] + (view[2] - w) * fx, view[1] + (view[3] - h) * fy, w, h];
    apply();
  }, {passive: false});
  let drag = null;
  svg.addEventListener("mousedown", (ev) => { drag = [ev.clientX, ev.clientY]; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", (ev) => {
    if (!drag) return;
    const rect = svg.getBoundingClientRect();
    view[0] -= ((ev.clientX - drag[0]) / rect.width) * view[2];
    view[1] -= ((ev.clientY - drag[1]) / rect.height) * view[3];
    drag = [ev.clientX, ev.clientY];
    apply();
  });
  box.appendChild(svg);
})();
