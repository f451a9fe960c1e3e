// The admin title page's video upload: resumable (tus protocol, tus-js-client), with a progress
// bar; when the upload is accepted the jobs table (an htmx fragment) refreshes and polls.
(function () {
  "use strict";
  // Subtitles: the file as the request body, the target in the query; the page reloads to list it.
  var subs = document.getElementById("subtitle-upload-form");
  if (subs) {
    subs.addEventListener("submit", function (event) {
      event.preventDefault();
      var fileInput = document.getElementById("subtitle-file");
      var file = fileInput.files && fileInput.files[0];
      if (!file) return void fileInput.reportValidity();
      var params = new URLSearchParams({ slug: subs.dataset.slug, lang: document.getElementById("subtitle-lang").value });
      var ep = document.getElementById("subtitle-episode");
      if (ep) {
        params.set("season", ep.value.split(":")[0]);
        params.set("episode", ep.value.split(":")[1]);
      }
      var out = document.getElementById("subtitle-upload-status");
      var csrfToken = (document.getElementById("app") || document.body).getAttribute("data-csrf") || "";
      fetch(subs.dataset.uploadUrl + "?" + params.toString(), {
        method: "POST",
        body: file,
        credentials: "same-origin",
        headers: { "x-csrf-token": csrfToken, "Content-Type": "text/plain", Accept: "application/json" },
      })
        .then(function (res) {
          if (res.ok) {
            out.textContent = subs.dataset.msgDone;
            window.location.reload();
            return;
          }
          return res.json().then(function (body) {
            out.textContent = subs.dataset.msgFailed.replace("{reason}", (body && body.error) || String(res.status));
          });
        })
        .catch(function (err) {
          out.textContent = subs.dataset.msgFailed.replace("{reason}", String(err));
        });
    });
  }

  var form = document.getElementById("media-upload-form");
  if (!form || typeof tus === "undefined") return;
  var input = document.getElementById("media-file");
  var bar = document.getElementById("media-upload-progress");
  var status = document.getElementById("media-upload-status");
  var app = document.getElementById("app");
  var csrf = (app && app.getAttribute("data-csrf")) || "";
  var data = form.dataset;

  function say(text) {
    status.textContent = text;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = input.files && input.files[0];
    if (!file) return void input.reportValidity();
    var metadata = { slug: data.slug, filename: file.name, filetype: file.type || "application/octet-stream" };
    var episode = document.getElementById("media-episode");
    if (episode) {
      var parts = episode.value.split(":");
      metadata.season = parts[0];
      metadata.episode = parts[1];
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    var upload = new tus.Upload(file, {
      endpoint: data.uploadUrl,
      // Small requests: each one ends well within the server's request time limit.
      chunkSize: 4 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      metadata: metadata,
      headers: { "x-csrf-token": csrf },
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        var pct = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = pct;
        say(data.msgUploading.replace("{pct}", String(pct)));
      },
      onError: function (error) {
        button.disabled = false;
        var res = error && error.originalResponse;
        var reason = (res && res.getBody && res.getBody()) || (error && error.message) || "";
        say(data.msgFailed.replace("{reason}", String(reason).slice(0, 200)));
      },
      onSuccess: function () {
        button.disabled = false;
        bar.value = 100;
        say(data.msgDone);
        form.reset();
        if (typeof htmx !== "undefined") htmx.trigger(document.body, "media-refresh");
      },
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
})();
