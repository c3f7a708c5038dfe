// Logging a concern: shows the chosen category's guidance at once, turns evidence off for the
// categories that refuse it, shows the 999 alert the moment "immediate risk" is ticked, and finds
// pupils as a name is typed. Loaded as a file because the Content-Security-Policy allows no
// inline script. Everything here also works without it: the guidance is in <details> blocks,
// the server refuses the attachments and shows the alert, and "Find pupils" posts the form.
(function () {
  "use strict";

  var form = document.querySelector("[data-concern-form]");
  if (!form) {
    return;
  }

  // The first problem in a form sent back: say it, and take the reader there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Category: guidance and evidence.
  var guidance = Array.prototype.slice.call(document.querySelectorAll("[data-guidance]"));
  var hint = document.querySelector("[data-guidance-hint]");
  var files = form.querySelector("[data-files]");
  var refusedBox = form.querySelector("[data-files-refused]");
  var refusedText = form.querySelector("[data-files-refused-text]");
  var filesError = document.getElementById("id_files_error");

  function describedBy(element, id, on) {
    var ids = (element.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids = ids.filter(function (x) { return x !== id; });
    if (on) {
      ids.push(id);
    }
    element.setAttribute("aria-describedby", ids.join(" "));
  }

  function chosenCategory() {
    var checked = form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "";
  }

  function showCategory() {
    var chosen = chosenCategory();
    var refused = "";
    guidance.forEach(function (block) {
      var mine = block.getAttribute("data-guidance") === chosen;
      block.hidden = !mine;
      if (mine) {
        block.open = true;
        refused = block.getAttribute("data-refuses-attachments") || "";
      }
    });
    hint.textContent = chosen
      ? ""
      : "Choose what the concern is about to see what to do now and what never to do.";
    hint.hidden = !!chosen;
    if (refused) {
      // A suspected indecent image must never be uploaded: drop anything already picked.
      files.value = "";
      files.disabled = true;
      refusedText.textContent = refused;
      refusedBox.hidden = !!filesError;
    } else {
      files.disabled = false;
      refusedBox.hidden = true;
    }
    describedBy(files, "files-refused", !!refused);
  }

  form.querySelectorAll("input[name=category]").forEach(function (radio) {
    radio.addEventListener("change", showCategory);
  });
  showCategory();

  // Immediate risk: the alert appears in a live region the moment the box is ticked.
  var risk = form.querySelector("input[name=immediate_risk]");
  var riskAlert = document.querySelector("[data-risk-alert]");
  var riskTemplate = document.getElementById("risk-alert-template");
  risk.addEventListener("change", function () {
    riskAlert.textContent = "";
    if (risk.checked) {
      riskAlert.appendChild(riskTemplate.content.cloneNode(true));
    }
  });

  // Pupils: typing a name lists matching pupils of this school on roll; ticking one adds it.
  var url = form.getAttribute("data-search-url");
  // The CSRF cookie is HttpOnly: the token comes from the form's own hidden field.
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var minimum = parseInt(form.getAttribute("data-search-min"), 10) || 2;
  var query = form.querySelector("[data-pupil-query]");
  var findButton = form.querySelector("[data-pupil-find]");
  var status = form.querySelector("[data-pupil-status]");
  var results = form.querySelector("[data-pupil-results]");
  var chosenList = form.querySelector("[data-pupils-chosen]");
  var none = form.querySelector("[data-pupils-none]");
  var rowTemplate = document.getElementById("pupil-row-template");
  var timer = null;
  var latest = 0;

  function chosenCodes() {
    var codes = {};
    chosenList.querySelectorAll("[data-pupil-row]").forEach(function (row) {
      codes[row.getAttribute("data-pupil-row")] = true;
    });
    return codes;
  }

  function row(pupil) {
    var li = rowTemplate.content.firstElementChild.cloneNode(true);
    var box = li.querySelector("input[type=checkbox]");
    var label = li.querySelector(".form-check-label");
    var roleLabel = li.querySelector("[data-role-label]");
    var select = li.querySelector("select");
    li.setAttribute("data-pupil-row", pupil.code);
    box.value = pupil.code;
    box.id = "pupil-" + pupil.code;
    label.htmlFor = box.id;
    li.querySelector("[data-name]").textContent = pupil.name;
    li.querySelector("[data-detail]").textContent =
      pupil.year + (pupil["class"] ? " · " + pupil["class"] : "");
    select.name = "role_" + pupil.code;
    select.id = "role-" + pupil.code;
    roleLabel.htmlFor = select.id;
    roleLabel.textContent = "Role of " + pupil.name;
    return li;
  }

  function show(pupils, text) {
    var already = chosenCodes();
    results.textContent = "";
    pupils.forEach(function (pupil) {
      if (!already[pupil.code]) {
        results.appendChild(row(pupil));
      }
    });
    status.textContent = text;
  }

  function search() {
    var text = query.value.trim();
    window.clearTimeout(timer);
    if (text.length < minimum) {
      show([], text ? "Type at least " + minimum + " letters of a name." : "");
      return;
    }
    var mine = ++latest;
    // POSTed, never in the address: a child's name must not reach a server's access log.
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      body: new URLSearchParams({ q: text }),
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (mine !== latest) {
          return; // an answer to an older search arrived late
        }
        var n = data.pupils.length;
        show(
          data.pupils,
          n === 0
            ? "No pupils on roll match “" + text + "”."
            : n + (n === 1 ? " pupil matches" : " pupils match") + ": tick those involved."
        );
      })
      .catch(function () {
        status.textContent = "The search did not answer. Press “Find pupils” to try again.";
      });
  }

  query.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 200);
  });
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // search, never send the half-filled form
      search();
    }
  });
  findButton.addEventListener("click", function (event) {
    event.preventDefault();
    search();
  });

  // Ticking a pupil found moves them into "Pupils involved", so a new search keeps them.
  results.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "pupil" || !box.checked) {
      return;
    }
    var li = box.closest("[data-pupil-row]");
    chosenList.appendChild(li);
    none.hidden = true;
    box.focus();
    status.textContent = li.querySelector(".form-check-label").textContent.trim() + " added.";
  });
})();
