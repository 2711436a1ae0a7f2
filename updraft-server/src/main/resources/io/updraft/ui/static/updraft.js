// Every htmx request carries the page's CSRF token, as forms do in their _csrf field.
document.addEventListener("htmx:configRequest", function (e) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    e.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// The live feed: one Server-Sent Events stream per page (/ui/events, for the DAGs the page shows),
// whose "states" events update every element showing a task instance's (data-ti) or a run's
// (data-run) state inside a data-dag container: class "state <state>", and the text too where the
// element has data-state-text.
(function () {
  var STATES = ["none", "scheduled", "queued", "running", "success", "restarting", "failed",
    "up_for_retry", "up_for_reschedule", "upstream_failed", "skipped", "removed", "deferred"];

  function setState(el, state) {
    STATES.forEach(function (s) { el.classList.remove(s); });
    el.classList.add(state);
    if (el.hasAttribute("data-state-text")) {
      el.textContent = state;
    }
  }

  function each(dag, attr, value, fn) {
    var d = '[data-dag="' + CSS.escape(dag) + '"]';
    var v = '[' + attr + '="' + CSS.escape(value) + '"]';
    var found = document.querySelectorAll(d + " " + v + ", " + d + v);
    found.forEach(fn);
    return found.length;
  }

  function apply(msg) {
    (msg.tis || []).forEach(function (c) {
      each(c.dag, "data-ti", c.ti, function (el) { setState(el, c.state); });
    });
    (msg.runs || []).forEach(function (c) {
      var shown = each(c.dag, "data-run", c.run, function (el) { setState(el, c.state); });
      // A run the page does not show yet (a new one): offer to show it, where the page can.
      var notice = document.querySelector('[data-dag="' + CSS.escape(c.dag) + '"] .new-runs');
      if (shown === 0 && notice) {
        notice.hidden = false;
      }
    });
  }

  function start() {
    var dags = {};
    document.querySelectorAll("[data-dag]").forEach(function (el) {
      dags[el.getAttribute("data-dag")] = true;
    });
    var ids = Object.keys(dags);
    if (ids.length === 0 || !window.EventSource) {
      return;
    }
    var url = "/ui/events?" + ids.map(function (d) {
      return "dag_id=" + encodeURIComponent(d);
    }).join("&");
    var source = new EventSource(url);
    source.addEventListener("states", function (e) {
      apply(JSON.parse(e.data));
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
