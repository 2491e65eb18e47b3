// Charts, timelines and networks are complete SVG from the server; this only adds comfort:
// an instant tooltip on hover or keyboard focus (the same text as the SVG's own <title>),
// and pan and zoom for networks (buttons, dragging, Ctrl + wheel). No inline code, no
// library, nothing fetched: it runs under the site's Content-Security-Policy.
(function () {
  "use strict";

  function titleOf(element) {
    for (let node = element; node && node.tagName !== "svg"; node = node.parentNode) {
      const title = node.querySelector && node.querySelector(":scope > title");
      if (title) return title.textContent;
    }
    return "";
  }

  function addTooltips(frame) {
    const tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true"); // the same words are the link's accessible name
    document.body.appendChild(tip);
    function show(event, target) {
      const text = titleOf(target);
      if (!text) return;
      tip.textContent = text;
      tip.hidden = false;
      const box = target.getBoundingClientRect();
      const x = event && event.pageX !== undefined && event.type !== "focusin" ? event.pageX : box.left + window.scrollX + box.width / 2;
      const y = event && event.pageY !== undefined && event.type !== "focusin" ? event.pageY : box.top + window.scrollY;
      const width = tip.offsetWidth;
      tip.style.left = Math.max(4, Math.min(x + 12, document.documentElement.clientWidth - width - 4)) + "px";
      tip.style.top = y + 16 + "px";
    }
    function hide() { tip.hidden = true; }
    frame.addEventListener("pointermove", function (event) {
      const target = event.target.closest("a, path, rect, circle");
      if (target && frame.contains(target) && titleOf(target)) show(event, target); else hide();
    });
    frame.addEventListener("pointerleave", hide);
    frame.addEventListener("focusin", function (event) { show(event, event.target); });
    frame.addEventListener("focusout", hide);
  }

  function addPanZoom(frame) {
    const svg = frame.querySelector("svg");
    if (!svg) return;
    const base = svg.viewBox.baseVal;
    const home = { x: base.x, y: base.y, width: base.width, height: base.height };
    let view = Object.assign({}, home);
    function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.width, view.height].join(" ")); }
    function zoom(factor, cx, cy) {
      const width = Math.min(home.width * 2, Math.max(home.width / 8, view.width * factor));
      const height = width * home.height / home.width;
      const px = cx === undefined ? 0.5 : cx, py = cy === undefined ? 0.5 : cy;
      view.x += (view.width - width) * px;
      view.y += (view.height - height) * py;
      view.width = width;
      view.height = height;
      apply();
    }
    const controls = document.createElement("div");
    controls.className = "chart-controls";
    [["+", "Zoom in", function () { zoom(0.8); }],
     ["−", "Zoom out", function () { zoom(1.25); }],
     ["Reset", "Show the whole network", function () { view = Object.assign({}, home); apply(); }]
    ].forEach(function (spec) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", spec[2]);
      controls.appendChild(button);
    });
    frame.parentNode.insertBefore(controls, frame);
    svg.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return; // plain wheel scrolls the page
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      zoom(event.deltaY > 0 ? 1.15 : 0.87, (event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.closest("a")) return;
      drag = { x: event.clientX, y: event.clientY, view: Object.assign({}, view) };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      const box = svg.getBoundingClientRect();
      view.x = drag.view.x - (event.clientX - drag.x) * view.width / box.width;
      view.y = drag.view.y - (event.clientY - drag.y) * view.height / box.height;
      apply();
    });
    svg.addEventListener("pointerup", function () { drag = null; });
  }

  document.querySelectorAll(".chart__frame").forEach(function (frame) {
    addTooltips(frame);
    if (frame.dataset.chart === "network") addPanZoom(frame);
  });
})();
