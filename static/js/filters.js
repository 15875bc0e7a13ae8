// The list's filters apply as soon as one changes; without this script the
// "Søg og filtrér" button at the top applies them. On a wide screen the filter
// panel stands open beside the results; on a phone it stays folded under its label.
(function () {
  var form = document.getElementById("filters");
  var panel = document.getElementById("filter-panel");
  if (!form || !panel) return;
  if (window.matchMedia("(min-width: 50rem)").matches) panel.open = true;
  panel.addEventListener("change", function (event) {
    var control = event.target;
    if (control.form !== form || control.name === "q") return;
    // A year applies once it is a whole year, not at each keystroke's change.
    if (control.type === "number" && !control.checkValidity()) return;
    form.requestSubmit();
  });
})();
