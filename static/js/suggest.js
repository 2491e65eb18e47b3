// Name filters: as the reader types, ask the API for matching names and offer them in the
// field's <datalist>. Without this script the datalist still offers the first names.
(function () {
  "use strict";
  var timers = new WeakMap();

  function refresh(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var words = input.value.trim();
    if (!list || words.length < 2) return;
    var url = input.dataset.suggest + "?q=" + encodeURIComponent(words) + "&page_size=10";
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.results) return;
        list.replaceChildren.apply(list, data.results.map(function (row) {
          var option = document.createElement("option");
          option.value = row.name;
          return option;
        }));
      })
      .catch(function () { /* the static suggestions stay */ });
  }

  document.querySelectorAll("input[data-suggest][list]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(function () { refresh(input); }, 200));
    });
  });
})();
