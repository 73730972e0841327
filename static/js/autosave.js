// Saves the judgement a couple of seconds after the educator stops typing, so closing the
// browser loses nothing. The server answers JSON to requests marked X-Autosave.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var status = document.querySelector(".autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    status.textContent = "Saving…";
    fetch(window.location.href, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      status.textContent = response.ok ? "Saved " + new Date().toLocaleTimeString() : "Not saved: please use the Save button";
    }).catch(function () {
      status.textContent = "Offline: not saved yet";
    });
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  });
})();
