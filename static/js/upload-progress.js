// Shows a progress bar while a form with files uploads. Without JavaScript the form still
// posts normally; with it, the same request is sent by XHR so upload progress can be shown.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var hasFiles = Array.prototype.some.call(
        form.querySelectorAll("input[type=file]"),
        function (input) { return input.files && input.files.length > 0; }
      );
      if (!hasFiles || !window.FormData) { return; }
      event.preventDefault();
      var box = form.querySelector(".upload-progress");
      var bar = form.querySelector(".upload-progress progress");
      box.classList.remove("d-none");
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round((100 * e.loaded) / e.total); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL !== (form.action || window.location.href)) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      });
      xhr.addEventListener("error", function () {
        box.classList.add("d-none");
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
        window.alert("The upload did not finish. Please check your connection and try again.");
      });
      xhr.send(new FormData(form));
    });
  });
})();
