// A report being built: polls its progress and moves the bar, then reloads the page to offer
// the download. A file because the Content-Security-Policy allows no inline script; the page
// works without it (a Refresh link), so a failed poll only slows the polling down.
(function () {
  "use strict";

  var box = document.querySelector("[data-report-progress]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-report-progress");
  var wrap = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var statusText = box.querySelector("[data-report-status]");

  function setPercent(percent) {
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
            statusText.textContent = "Finished. Loading…";
            window.location.reload();
            return;
          }
          var text = data.status_label + "…";
          if (statusText.textContent.trim() !== text) {
            statusText.textContent = text;
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
