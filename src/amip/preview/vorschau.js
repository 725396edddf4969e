// amip preview: follow the event stream, reload on a new page, keep the scroll position, show the PDF state.
(function () {
  "use strict";
  var box = document.getElementById("amip-vorschau");
  if (!box) { return; }
  var page = box.getAttribute("data-seite");
  var key = "amip-vorschau-scroll:" + location.pathname;
  var labels = {"aktuell": "aktuell", "wird gesetzt": "wird gesetzt …", "veraltet": "veraltet", "fehlt": "noch keins"};

  function save() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* private mode */ }
  }
  function restore() {
    var y = null;
    try { y = sessionStorage.getItem(key); } catch (e) { /* private mode */ }
    // the saved position wins over a #anchor clicked earlier: the author stays where they were reading
    if (y !== null) { window.scrollTo(0, parseFloat(y)); }
  }
  if (window.history && "scrollRestoration" in window.history) {
    window.history.scrollRestoration = "manual";  // ours, not the browser's guess on a changed page
  }
  restore();
  window.addEventListener("load", restore);  // pictures and fonts change the height: once more
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) { return; }
    pending = true;
    window.setTimeout(function () { pending = false; save(); }, 150);
  }, {passive: true});

  var close = box.querySelector(".amip-zu");
  if (close) {
    close.addEventListener("click", function () { close.parentNode.style.display = "none"; });
  }

  function showPdf(pdf) {
    var span = document.getElementById("amip-pdf");
    if (!span) { return; }
    span.setAttribute("data-zustand", pdf.zustand);
    var why = document.getElementById("amip-pdf-grund");
    var reason = (pdf.zustand === "veraltet" || pdf.zustand === "fehlt") ? (pdf.hinweis || "") : "";
    if (why) {
      why.hidden = !reason;
      why.querySelector("pre").textContent = reason;
    }
    span.textContent = "PDF: ";
    var label = labels[pdf.zustand] || pdf.zustand;
    if (pdf.url) {
      var link = document.createElement("a");
      link.href = pdf.url + "?v=" + Date.now();
      link.target = "_blank";
      link.textContent = label;
      span.appendChild(link);
    } else {
      span.appendChild(document.createTextNode(label));
    }
  }

  function handle(message) {
    var data = JSON.parse(message.data);
    if (String(data.seite) !== page) {
      save();
      location.reload();
      return;
    }
    box.classList.remove("amip-getrennt");
    showPdf(data.pdf);
  }

  var source = new EventSource("/_amip/ereignisse");
  ["zustand", "neu", "pdf"].forEach(function (name) { source.addEventListener(name, handle); });
  source.onerror = function () { box.classList.add("amip-getrennt"); };  // the browser reconnects by itself
})();
