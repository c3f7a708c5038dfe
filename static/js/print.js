// A "Print" button: the CSP allows no inline onclick, so the handler is attached from this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
