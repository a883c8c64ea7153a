// The visit form on a phone with a poor connection: every value typed is kept in the browser
// (localStorage) until the server has saved it, and put back if the page comes back without it
// (a failed or interrupted post, a reload, a photo upload in between). The saved draft's
// version is part of the key: once the server has saved a newer version, the kept values are
// dropped. The form works without this script; the script only keeps what was not sent yet.
// It also shows the running total of the aspect scores.
(function () {
  "use strict";

  var PREFIX = "desadevisa:";

  function storageAvailable() {
    try {
      window.localStorage.setItem(PREFIX + "probe", "1");
      window.localStorage.removeItem(PREFIX + "probe");
      return true;
    } catch (error) {
      return false;
    }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return (
        field.name &&
        field.name !== "csrfmiddlewaretoken" &&
        field.name !== "seen_version" &&
        field.type !== "file" &&
        field.type !== "submit" &&
        field.type !== "hidden"
      );
    });
  }

  function collect(form) {
    var values = {};
    fields(form).forEach(function (field) {
      if (field.type === "radio") {
        if (field.checked) {
          values[field.name] = field.value;
        } else if (!(field.name in values)) {
          values[field.name] = null;
        }
      } else if (field.type === "checkbox") {
        values[field.name] = field.checked;
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    var changed = false;
    fields(form).forEach(function (field) {
      if (!(field.name in values)) {
        return;
      }
      var value = values[field.name];
      if (field.type === "radio") {
        var checked = field.value === value;
        changed = changed || field.checked !== checked;
        field.checked = checked;
      } else if (field.type === "checkbox") {
        changed = changed || field.checked !== value;
        field.checked = value;
      } else if (typeof value === "string" && field.value !== value) {
        field.value = value;
        changed = true;
      }
    });
    return changed;
  }

  function updateTotal(form) {
    var output = document.querySelector("[data-score-total]");
    if (!output) {
      return;
    }
    var total = 0;
    form.querySelectorAll("[data-aspect-score]").forEach(function (select) {
      var score = parseInt(select.value, 10);
      if (!isNaN(score)) {
        total += score;
      }
    });
    output.textContent = String(total);
  }

  function attach(form) {
    var version = form.elements.seen_version ? form.elements.seen_version.value : "";
    var key = PREFIX + form.getAttribute("data-visit-draft");
    var usable = storageAvailable();

    if (usable) {
      var kept = null;
      try {
        kept = JSON.parse(window.localStorage.getItem(key) || "null");
      } catch (error) {
        kept = null;
      }
      if (kept && kept.version === version && kept.values) {
        if (apply(form, kept.values)) {
          var notice = document.querySelector("[data-draft-restored]");
          if (notice) {
            notice.hidden = false;
          }
        }
      } else if (kept) {
        // The server saved a newer version: what was kept has arrived, or is out of date.
        window.localStorage.removeItem(key);
      }
    }
    updateTotal(form);

    function keep() {
      updateTotal(form);
      if (!usable) {
        return;
      }
      try {
        window.localStorage.setItem(
          key,
          JSON.stringify({ version: version, values: collect(form) })
        );
      } catch (error) {
        // Storage full or refused: the form still posts as usual.
      }
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", keep);
  }

  function start() {
    document.querySelectorAll("form[data-visit-draft]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
