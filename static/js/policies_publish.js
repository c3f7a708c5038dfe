// Publishing: the next review falls a year after the version takes effect. When the date it
// takes effect changes, move the review date with it, unless someone has chosen a review date
// themselves. Without this file the form still works: both dates are typed or kept as shown.
(function () {
  "use strict";

  var form = document.querySelector("[data-review-from-effective]");
  if (!form) {
    return;
  }
  var effective = form.querySelector("input[name=effective_date]");
  var review = form.querySelector("input[name=next_review_due]");
  if (!effective || !review) {
    return;
  }
  var chosen = false;
  review.addEventListener("input", function () {
    chosen = true;
  });

  function aYearOn(value) {
    var parts = value.split("-").map(Number);
    if (parts.length !== 3 || parts.some(isNaN)) {
      return "";
    }
    // 29 February falls on 28 February the year after, as dateutil does on the server.
    var day = new Date(Date.UTC(parts[0] + 1, parts[1] - 1, 1));
    var last = new Date(Date.UTC(parts[0] + 1, parts[1], 0)).getUTCDate();
    day.setUTCDate(Math.min(parts[2], last));
    return day.toISOString().slice(0, 10);
  }

  effective.addEventListener("change", function () {
    var next = aYearOn(effective.value);
    if (!chosen && next) {
      review.value = next;
    }
  });
})();
