// A long job's page (a roster import, a report being built): polls the job's progress, moves the
// bar and says what it is doing, then reloads the page to show the result once it has finished.
// One file for every such page, loaded as a file because the Content-Security-Policy allows no
// inline script; the page works without it (a Refresh link), so a failed poll only slows the
// polling down. The page marks the box with data-progress="<the progress URL>" and the line to
// update with data-progress-status; the URL answers {percent, status_text, finished}.
(function () {
  "use strict";

  var box = document.querySelector("[data-progress]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-progress");
  var wrap = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var statusText = box.querySelector("[data-progress-status]");

  function setPercent(percent) {
    // Setting a style property from a script is allowed by the CSP; a style="" attribute is not.
    bar.style.width = percent + "%";
    wrap.setAttribute("aria-valuenow", String(percent));
  }

  function poll(delay) {
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          setPercent(data.percent);
          if (data.finished) {
            statusText.textContent = "Finished. Loading the result…";
            window.location.reload();
            return;
          }
          if (statusText.textContent.trim() !== data.status_text) {
            statusText.textContent = data.status_text;
          }
          poll(1000);
        })
        .catch(function () {
          poll(5000);
        });
    }, delay);
  }

  setPercent(parseInt(bar.getAttribute("data-percent"), 10) || 0);
  poll(1000);
})();
