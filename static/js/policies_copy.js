// The library's "Copy" button for the public policies address. Without this file the address
// is still there to select and copy by hand, so the button stays hidden until it can work.
(function () {
  "use strict";

  var status = document.querySelector("[data-copy-status]");
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          button.textContent = "Copied";
          if (status) {
            status.textContent = "The address was copied.";
          }
        },
        function () {
          field.select();
        }
      );
    });
  });
})();
