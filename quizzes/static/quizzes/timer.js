// Shows the time left in an attempt. The server enforces the deadline; this only informs.
(function () {
  var timer = document.querySelector(".timer[data-deadline]");
  if (!timer) return;
  var deadline = Date.parse(timer.getAttribute("data-deadline"));
  var left = timer.querySelector(".timer__left");
  function tick() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    left.textContent = "(" + m + ":" + (s < 10 ? "0" : "") + s + ")";
    if (seconds > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
