// Comfort only: the admin pages work without this file (the region list is then the one the
// server put into the page, and a vague name is answered with its choices on submit).
(function () {
  "use strict";
  var box = document.getElementById("region");
  var list = document.getElementById("region-choices");
  if (!box || !list || !window.fetch) return;
  var timer = null;
  var asked = "";
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var typed = box.value.trim();
      if (!typed || typed === asked) return;
      asked = typed;
      fetch(list.getAttribute("data-url") + "?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (names) {
          if (asked !== typed) return;
          list.textContent = "";
          names.forEach(function (name) {
            var option = document.createElement("option");
            option.value = name;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
