// Comfort only: the site works without this file.
(function () {
  "use strict";
  // "/" focuses the search box unless the user is typing somewhere already.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("q") || document.getElementById("compare-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // A copy button next to each paragraph permalink.
  if (!navigator.clipboard) return;
  document.querySelectorAll("a.permalink[data-copy]").forEach(function (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "复制链接";
    button.setAttribute("aria-label", "复制本段链接 " + link.getAttribute("data-copy"));
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + "#" + link.getAttribute("data-copy");
      navigator.clipboard.writeText(url).then(function () {
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = "复制链接"; }, 1500);
      });
    });
    link.insertAdjacentElement("afterend", button);
  });
})();
