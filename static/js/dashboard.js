// The DSL dashboard's filters: fetch the filtered list (incidents:dashboard_list) and swap it in,
// without reloading the page. Without this file the filter form is a plain GET to the dashboard,
// which renders the same list, so nothing depends on it. Loaded as a file: the CSP allows no
// inline script.
(function () {
  "use strict";

  var form = document.querySelector("[data-concern-filters]");
  var box = document.getElementById("concern-list");
  if (!form || !box) {
    return;
  }
  var listUrl = box.getAttribute("data-list-url");
  var status = document.querySelector("[data-list-status]");
  var pending = null;
  var timer = null;

  function queryOf(formElement) {
    var params = new URLSearchParams();
    new FormData(formElement).forEach(function (value, key) {
      if (value !== "") {
        params.append(key, value);
      }
    });
    return params.toString();
  }

  function load(query) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    box.setAttribute("aria-busy", "true");
    fetch(listUrl + (query ? "?" + query : ""), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        box.innerHTML = html;
        box.removeAttribute("aria-busy");
        // The address bar keeps the filters, so reloading or sharing the page shows the same list.
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
        var count = box.querySelector("[data-list-count]");
        if (status && count) {
          status.textContent = count.textContent;
        }
      })
      .catch(function (error) {
        if (error.name === "AbortError") {
          return;
        }
        // Fall back to the plain page: the form's own GET does the same thing.
        window.location.assign(window.location.pathname + (query ? "?" + query : ""));
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(queryOf(form));
  });

  form.addEventListener("change", function () {
    // Date fields fire a change for each part typed: wait for a pause before fetching.
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      load(queryOf(form));
    }, 300);
  });

  box.addEventListener("click", function (event) {
    var link = event.target.closest(".pagination a");
    if (!link) {
      return;
    }
    event.preventDefault();
    load(new URL(link.href).searchParams.toString());
    box.scrollIntoView();
  });
})();
