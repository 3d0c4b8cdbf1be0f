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

  // A facet link's fragment names the value it toggles (#fv-region-…, #fx-year-… for exclude):
  // after the new page loads, focus goes back to that link, or to its facet's heading when the
  // value is not on this page. Without this script the fragment still scrolls to the value.
  var facet = /^#f[vx]-([a-z]+)-/.exec(location.hash);
  if (facet) {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      id = "";
    }
    var back = (id && document.getElementById(id)) || document.getElementById("facet-" + facet[1]);
    if (back) back.focus();
  }

  // A copy button next to each paragraph permalink. Its name is its visible text ("复制链接",
  // then "已复制") followed by the paragraph, hidden from view; the result is also announced.
  if (!navigator.clipboard) return;
  var status = null;
  function announce(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      (document.getElementById("main") || document.body).appendChild(status);
    }
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }
  document.querySelectorAll("a.permalink[data-copy]").forEach(function (link) {
    var paragraph = link.getAttribute("data-copy");
    var button = document.createElement("button");
    var label = document.createElement("span");
    var which = document.createElement("span");
    button.type = "button";
    button.className = "copy-button";
    label.textContent = "复制链接";
    which.className = "visually-hidden";
    which.textContent = "（段落 " + paragraph + "）";
    button.appendChild(label);
    button.appendChild(which);
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + "#" + paragraph;
      navigator.clipboard.writeText(url).then(function () {
        label.textContent = "已复制";
        announce("已复制段落 " + paragraph + " 的链接");
        setTimeout(function () { label.textContent = "复制链接"; }, 1500);
      });
    });
    link.insertAdjacentElement("afterend", button);
  });
})();
