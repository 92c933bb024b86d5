// Click-to-load videos (gallery.render): the page holds a link and a notice; the player is
// loaded from the provider only when the visitor clicks the button added here. Without
// JavaScript, the link to the video remains.
(function () {
  "use strict";
  function enhance(box) {
    var url = box.getAttribute("data-embed");
    if (!url || url.indexOf("https://") !== 0 || box.querySelector("button")) return;
    var lang = document.documentElement.lang || "fr";
    var label = lang.indexOf("fr") === 0 ? "Lire la vidéo ici" : "Play the video here";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "video-load";
    button.textContent = label;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = url;
      frame.title = box.querySelector("a") ? box.querySelector("a").textContent : label;
      frame.setAttribute("allow", "fullscreen; picture-in-picture");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.setAttribute("loading", "lazy");
      button.replaceWith(frame);
      frame.focus();
    });
    box.appendChild(button);
  }
  function init() {
    document.querySelectorAll(".video-embed[data-embed]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
