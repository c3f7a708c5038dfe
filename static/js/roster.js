// Roster import progress: polls the progress endpoint and moves the bar, then reloads the page
// to show the summary or the list of problems once the import has finished. Loaded as a file
// because the Content-Security-Policy allows no inline script; the page works without it (a
// Refresh link), so a failed poll only slows the polling down.
(function () {
  "use strict";

  var box = document.querySelector("[data-roster-progress]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-roster-progress");
  var wrap = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var statusText = box.querySelector("[data-roster-status]");

  function setPercent(percent) {
    // Setting a style property from a script is allowed by the CSP; a style="" attribute is not.
    bar.style.width = percent + "%";
    wrap.setAttribute("aria-valuenow", String(percent));
  }

  function describe(data) {
    var text = data.status_label;
    if (data.status === "checking" && data.total_rows) {
      text += ": " + data.processed_rows + " of " + data.total_rows + " rows checked";
    } else if (data.status === "importing") {
      text += ": " + data.total_rows + " rows";
    }
    return text + "…";
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
          var text = describe(data);
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
