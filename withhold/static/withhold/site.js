// Withhold's own page behaviour. Loaded with `defer` on every page by base.html; no inline
// scripts anywhere, so a strict Content-Security-Policy can apply.
//
// * Moves focus to a form's error summary ([data-error-summary]) when a page or an htmx swap
//   shows one, so keyboard and screen-reader users land on the list of problems.
// * Asks for confirmation before submitting a form or following a link that has a
//   data-confirm="Question?" attribute (htmx elements use hx-confirm instead).
// * Shows the #withhold-request-error alert when an htmx request fails, since htmx does not
//   swap error responses into the page by itself.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var scope = root && root.querySelector ? root : document;
    var summary = scope.querySelector("[data-error-summary]");
    if (!summary && scope.matches && scope.matches("[data-error-summary]")) summary = scope;
    if (summary) {
      summary.focus();
    }
  }

  function requestErrorParts() {
    var region = document.getElementById("withhold-request-error");
    if (!region) return null;
    var alert = region.querySelector(".usa-alert");
    var text = region.querySelector(".usa-alert__text");
    return alert && text ? { alert: alert, text: text } : null;
  }

  function showRequestError(kind) {
    var parts = requestErrorParts();
    if (!parts) return;
    parts.text.textContent = parts.text.getAttribute("data-" + kind + "-text") || "";
    parts.alert.hidden = false;
  }

  function hideRequestError() {
    var parts = requestErrorParts();
    if (!parts || parts.alert.hidden) return;
    parts.alert.hidden = true;
    parts.text.textContent = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeRequest", hideRequestError);

  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail && event.detail.elt);
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    showRequestError(status === 403 || status === 401 ? "forbidden" : "server");
  });

  document.addEventListener("htmx:sendError", function () {
    showRequestError("network");
  });
})();
