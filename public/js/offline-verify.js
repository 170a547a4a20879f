// Senim /verify without a connection (issue 17), the part every visit loads: registers the service worker (/sw.js)
// that keeps this page, the trust list and the status lists; offline (navigator.onLine false) it takes the form's
// submit, and hands the input to /js/offline-check.js, loaded only then (from the cache), which checks it in the
// browser. A form post that fails while the browser thinks it is online comes back from the worker as this page
// with the input in the form and the form marked data-offline-submit: it is checked on load. Plain ES2020.
"use strict";
(function () {
  var box = document.getElementById("offline-verify");
  var form = document.getElementById("verify-form");
  if (!box || !form) return;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // The first visit was not served through the worker: ask it to keep this page (in this language) too.
      if (!navigator.serviceWorker.controller && registration.active && navigator.onLine) {
        registration.active.postMessage({ type: "keep-page", path: location.pathname + location.search });
      }
    }).catch(function () { /* no offline use in this browser; the form still works online */ });
  }

  function checker() {
    return new Promise(function (resolve, reject) {
      if (window.SenimOfflineCheck) return resolve(window.SenimOfflineCheck);
      var s = document.createElement("script");
      s.src = "/js/offline-check.js";
      s.onload = function () { resolve(window.SenimOfflineCheck); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function check(text) {
    checker().then(function (c) { return c.verifyHere(text); }).catch(function () {
      // Nothing was kept (the worker never installed): say what to do, as the checker would.
      var p = document.createElement("p");
      p.id = "offline-result";
      p.className = "notice error";
      p.setAttribute("role", "alert");
      p.setAttribute("data-offline-notice", "");
      p.textContent = box.dataset.tNoTrustList;
      box.parentNode.insertBefore(p, box);
    });
  }

  async function input() {
    var file = form.querySelector('input[type="file"]');
    if (file && file.files && file.files[0] && file.files[0].size > 0) return file.files[0].size <= 256 * 1024 ? file.files[0].text() : "";
    return document.getElementById("verify-text").value;
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return; // online, the service checks it (and the form works without JavaScript)
    event.preventDefault();
    var old = document.getElementById("offline-result");
    if (old) old.remove(); // no earlier verdict stays on screen while this one is checked
    input().then(check);
  });
  if (form.hasAttribute("data-offline-submit")) check(document.getElementById("verify-text").value);
})();
