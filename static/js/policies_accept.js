// Accepting policies and the visitor kiosk. Everything here is a convenience: each page works
// without it.
(function () {
  "use strict";

  // A refused submit's error summary takes the focus through forms.js, as on every form.

  // A second tap while the first submit is on its way would only be recorded once anyway;
  // the button says so by staying pressed.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });

  // In-class sign-off: tick every pupil not yet signed.
  document.querySelectorAll("[data-tick-all]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = button.closest("form");
      form.querySelectorAll("input[data-pupil]").forEach(function (box) {
        box.checked = true;
      });
    });
  });

  // The kiosk's thank-you page returns to a fresh form for the next visitor.
  var back = document.querySelector("[data-kiosk-return]");
  if (back) {
    var seconds = parseInt(back.getAttribute("data-seconds"), 10) || 30;
    window.setTimeout(function () {
      window.location.replace(back.getAttribute("data-kiosk-return"));
    }, seconds * 1000);
  }
})();
