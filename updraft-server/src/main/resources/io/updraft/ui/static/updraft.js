// Every htmx request carries the page's CSRF token, as forms do in their _csrf field.
document.addEventListener("htmx:configRequest", function (e) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    e.detail.headers["X-CSRF-Token"] = meta.content;
  }
});
