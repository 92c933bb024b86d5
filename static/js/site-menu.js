// The header's menu (templates/base.html) is a <details> disclosure that works without
// JavaScript. This script only enhances it: open on wide screens where the navigation
// fits in the header, closed on phones until asked, Escape closes it and gives focus back.
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 60rem)");
  var summary = menu.querySelector("summary");
  document.documentElement.classList.add("menu-enhanced");

  function follow() {
    menu.open = wide.matches;
  }
  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      summary.focus();
    }
  });
})();
