// Senim /verify: reads a certificate's QR code from the device camera. BarcodeDetector where the browser has it,
// otherwise Senim's bundled ZXing reader (/js/qr-decoder.js, loaded only then). Without JavaScript the form still works.
"use strict";
(function () {
  var root = document.getElementById("scan");
  if (!root) return;
  var d = root.dataset;
  root.querySelector(".needs-js").hidden = true;
  root.querySelector(".scan-ui").hidden = false;
  var button = document.getElementById("scan-start");
  var status = document.getElementById("scan-status");
  var video = document.getElementById("scan-video");
  var canvas = document.createElement("canvas");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });

  function loadDecoder() {
    return new Promise(function (resolve, reject) {
      if (window.SenimQr) return resolve(window.SenimQr);
      var s = document.createElement("script");
      s.src = "/js/qr-decoder.js";
      s.onload = function () { resolve(window.SenimQr); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  async function makeDetector() {
    if ("BarcodeDetector" in window) {
      try {
        var formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) {
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          root.setAttribute("data-decoder", "barcode-detector");
          return async function () {
            var codes = await detector.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch (e) { /* fall through to the bundled reader */ }
    }
    var qr = await loadDecoder();
    root.setAttribute("data-decoder", "bundled");
    return async function () {
      var w = video.videoWidth, h = video.videoHeight;
      if (!w || !h) return null;
      canvas.width = w;
      canvas.height = h;
      ctx.drawImage(video, 0, 0, w, h);
      return qr.decode(ctx.getImageData(0, 0, w, h).data, w, h);
    };
  }

  function found(text, stream) {
    stream.getTracks().forEach(function (t) { t.stop(); });
    status.textContent = d.tFound + " " + text;
    root.setAttribute("data-found", text);
    try {
      var url = new URL(text);
      // Offline, the link goes to the form, which checks the certificate kept when it was opened (offline-verify.js).
      if (url.origin === location.origin && /^\/c\/[0-9a-z]{1,40}$/.test(url.pathname) && navigator.onLine) {
        location.assign(url.pathname);
        return;
      }
    } catch (e) { /* not a URL: a JWT, verified by the form */ }
    document.getElementById("verify-text").value = text;
    // requestSubmit, not submit: it fires the submit event that offline-verify.js handles without a connection.
    var form = document.getElementById("verify-form");
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  button.addEventListener("click", async function () {
    button.disabled = true;
    var stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      status.textContent = d.tNoCamera;
      button.disabled = false;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    status.textContent = d.tLooking;
    var detect = await makeDetector();
    (async function tick() {
      var text = null;
      try {
        if (video.readyState >= 2) text = await detect();
      } catch (e) { text = null; }
      if (text) return found(text, stream);
      setTimeout(tick, 150);
    })();
  });
})();
