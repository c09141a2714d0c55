// Progressive enhancement for the share kit: copy buttons and the browser's native share.
// Everything works without this script; it only adds conveniences. No tracking.
(function () {
  "use strict";

  function setStatus(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) {
      status.textContent = text;
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  function copyFrom(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.focus();
    field.select();
    var ok = document.execCommand && document.execCommand("copy");
    return ok ? Promise.resolve() : Promise.reject(new Error("copy unavailable"));
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyFrom(field).then(
        function () { setStatus(button, "Copied. Paste it where you like, and make it yours."); },
        function () { field.select(); setStatus(button, "Select the text and copy it with your keyboard."); }
      );
    });
  });

  document.querySelectorAll("button.native-share").forEach(function (button) {
    if (!navigator.share) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-message"));
      navigator.share({
        title: button.getAttribute("data-title") || document.title,
        text: field ? field.value : "",
        url: button.getAttribute("data-url") || location.href
      }).catch(function () { /* the person closed the share sheet */ });
    });
  });
})();
