// Shows only the structured part that matches the chosen kind of evidence, and only the
// "why" box of each ticked domain. Without JavaScript every part stays visible (each box
// labelled with its domain) and the server keeps only what matches.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (kind) {
    var showKind = function () {
      document.querySelectorAll(".kind-details").forEach(function (box) {
        box.hidden = box.getAttribute("data-kind") !== kind.value;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();
  }
  document.querySelectorAll(".domain-tick").forEach(function (tick) {
    var note = document.getElementById(tick.getAttribute("aria-controls"));
    if (!note) { return; }
    var showNote = function () {
      // A box with an error in it stays in view so the message is seen.
      note.hidden = !tick.checked && !note.querySelector(".is-invalid");
    };
    tick.addEventListener("change", showNote);
    showNote();
  });
})();
