// Shows only the structured part that matches the chosen kind of evidence. Without
// JavaScript every part stays visible and the server keeps only the matching one.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) { return; }
  function update() {
    document.querySelectorAll(".kind-details").forEach(function (box) {
      box.hidden = box.getAttribute("data-kind") !== kind.value;
    });
  }
  kind.addEventListener("change", update);
  update();
})();
