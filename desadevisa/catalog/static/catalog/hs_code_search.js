// Suggestions for the HS code field of the product form: as the person types a code or words,
// the headings and subheadings found fill the field's <datalist>. Without this script the
// person types the code and the form checks it.
(function () {
  "use strict";

  var DELAY_MS = 250;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-hs-code-search");
    var timer = null;
    var latest = 0;
    if (!list || !url) {
      return;
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) {
        return;
      }
      timer = window.setTimeout(function () {
        var request = ++latest;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (request !== latest) {
              return;
            }
            list.replaceChildren();
            data.results.forEach(function (entry) {
              var option = document.createElement("option");
              option.value = entry.code;
              option.label = entry.code + " · " + entry.description;
              option.textContent = entry.code + " · " + entry.description;
              list.appendChild(option);
            });
          })
          .catch(function () {
            // Suggestions are a convenience; typing the code still works.
          });
      }, DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-hs-code-search]").forEach(attach);
  });
})();
