// Every form's error summary (templates/_form_errors.html), on every page. Loaded as a file:
// the Content-Security-Policy allows no inline script. Each page works without it.
(function () {
  "use strict";

  // A form that came back with errors: start the reader at the summary of what went wrong.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // A link in the summary moves the focus to its field, not only the scroll position, with the
  // field's label or its group's legend in view above it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var group = target.closest("fieldset");
    var label = group
      ? group.querySelector("legend")
      : document.querySelector("label[for='" + target.id + "']");
    if (!target.matches("input, select, textarea, button, a[href], [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
    (label || target).scrollIntoView({ block: "start" });
  });

  // A field required only while a choice is made (data-required-when="name=value"), such as the
  // governing board's meeting when it approved a policy: required, and marked so, with it.
  document.querySelectorAll("[data-required-when]").forEach(function (field) {
    var rule = field.getAttribute("data-required-when").split("=");
    var form = field.form;
    var label = form && form.querySelector("label[for='" + field.id + "']");
    if (!form || !label || rule.length !== 2) {
      return;
    }
    var mark = document.createElement("span");
    mark.className = "required-mark";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "(required)";
    function update() {
      var chosen = form.querySelector("[name='" + rule[0] + "']:checked");
      var required = Boolean(chosen && chosen.value === rule[1]);
      field.required = required;
      if (required && !mark.parentNode) {
        label.append(" ", mark);
      } else if (!required && mark.parentNode) {
        mark.previousSibling.remove();
        mark.remove();
      }
    }
    form.querySelectorAll("[name='" + rule[0] + "']").forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  });
})();
