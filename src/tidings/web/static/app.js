// Small charts drawn as SVG from JSON embedded in the page; no library, works offline.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : [];
  }

  function frame(container, w, h, n) {
    const svg = el("svg", {viewBox: `0 0 ${w} ${h}`, role: "img", "data-points": n});
    container.appendChild(svg);
    return svg;
  }

  function yAxis(svg, pad, w, h, max) {
    for (const f of [0, 0.5, 1]) {
      const y = h - pad.b - f * (h - pad.t - pad.b);
      el("line", {x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: "grid"}, svg);
      el("text", {x: pad.l - 4, y: y + 3, "text-anchor": "end", class: "axis"}, svg)
        .textContent = Math.round(f * max);
    }
  }

  function xLabels(svg, labels, xOf, h) {
    const step = Math.max(1, Math.ceil(labels.length / 8));
    labels.forEach((label, i) => {
      if (i % step) return;
      el("text", {x: xOf(i), y: h - 4, "text-anchor": "middle", class: "axis"}, svg)
        .textContent = label;
    });
  }

  // events per day: one bar per day
  function bars(container, rows) {
    const w = 900, h = 200, pad = {l: 36, r: 8, t: 8, b: 20};
    const svg = frame(container, w, h, rows.length);
    const max = Math.max(1, ...rows.map((r) => r.events));
    const bw = (w - pad.l - pad.r) / Math.max(1, rows.length);
    yAxis(svg, pad, w, h, max);
    rows.forEach((r, i) => {
      const bh = (r.events / max) * (h - pad.t - pad.b);
      const bar = el("rect", {x: pad.l + i * bw + bw * 0.1, y: h - pad.b - bh,
        width: Math.max(bw * 0.8, 0.5), height: bh, fill: "#1f5f99", class: "bar"}, svg);
      el("title", {}, bar).textContent = `${r.date}: ${r.events} events`;
    });
    xLabels(svg, rows.map((r) => r.date), (i) => pad.l + (i + 0.5) * bw, h);
  }

  // cooperation vs conflict counts per interval, mean Goldstein as a dashed line
  function timeline(container, rows) {
    const w = 900, h = 270, pad = {l: 36, r: 36, t: 30, b: 22};
    const svg = frame(container, w, h, rows.length);
    const max = Math.max(1, ...rows.map((r) => Math.max(r.cooperation, r.conflict)));
    const span = w - pad.l - pad.r, ih = h - pad.t - pad.b;
    const xOf = (i) => pad.l + (rows.length < 2 ? span / 2 : (i * span) / (rows.length - 1));
    const yOf = (v) => h - pad.b - (v / max) * ih;
    const gOf = (g) => h - pad.b - ((g + 10) / 20) * ih;  // Goldstein runs -10..10
    yAxis(svg, pad, w, h, max);
    const series = [["cooperation", "var(--coop)", ""], ["conflict", "var(--conf)", ""]];
    for (const [key, color] of series) {
      const pts = rows.map((r, i) => `${xOf(i)},${yOf(r[key])}`).join(" ");
      el("polyline", {points: pts, fill: "none", stroke: color, "stroke-width": 2,
        class: `series-${key}`}, svg);
      rows.forEach((r, i) => {
        const dot = el("circle", {cx: xOf(i), cy: yOf(r[key]), r: 3, fill: color,
          class: `point-${key}`}, svg);
        el("title", {}, dot).textContent = `${r.period}: ${r[key]} ${key}`;
      });
    }
    const gpts = rows.filter((r) => r.goldstein_mean !== null)
      .map((r) => `${xOf(rows.indexOf(r))},${gOf(r.goldstein_mean)}`).join(" ");
    el("polyline", {points: gpts, fill: "none", stroke: "#555", "stroke-dasharray": "4 3",
      class: "series-goldstein"}, svg);
    for (const g of [-10, 0, 10]) {
      el("text", {x: w - pad.r + 4, y: gOf(g) + 3, class: "axis"}, svg).textContent = g;
    }
    xLabels(svg, rows.map((r) => r.period), xOf, h);
    const legend = el("g", {class: "axis"}, svg);
    [["cooperation (quad 1+2)", "var(--coop)"], ["conflict (quad 3+4)", "var(--conf)"],
     ["mean Goldstein (right axis)", "#555"]].forEach(([label, color], i) => {
      el("rect", {x: pad.l + 10 + i * 170, y: 4, width: 10, height: 10, fill: color}, legend);
      el("text", {x: pad.l + 24 + i * 170, y: 13}, legend).textContent = label;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const perDay = document.getElementById("per-day");
    if (perDay) bars(perDay, data("per-day-data"));
    const tl = document.getElementById("timeline");
    if (tl) timeline(tl, data("timeline-data"));
    const focus = document.querySelector("#article-text .focus");
    if (focus) focus.scrollIntoView({block: "center"});
  });
})();
