// Shows every <time datetime> in the visitor's own time zone; without
// JavaScript the server's UTC text stays.
document.querySelectorAll("time[datetime]").forEach(function (el) {
  var d = new Date(el.getAttribute("datetime"));
  if (isNaN(d)) return;
  el.textContent = d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
});
var tz = document.getElementById("tz");
if (tz) tz.textContent = "Times are shown in your time zone";
