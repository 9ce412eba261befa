// perfscore's page: choose files, send them as one batch, follow its progress, show the
// report the server writes (escaped there), explain a number on click, offer the downloads.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const maxFiles = Number(body.dataset.maxFiles);
  const maxBytes = Number(body.dataset.maxBytes);
  let chosen = [];  // {file, name}: name is the path inside a dropped folder
  let job = null;

  function say(text, bad) {
    $("message").textContent = text;
    $("message").className = bad ? "bad" : "";
  }

  async function answer(response) {
    // The server's refusal: a sentence, or JSON with the rule file's findings.
    const type = response.headers.get("content-type") || "";
    if (type.startsWith("application/json")) return response.json();
    return { error: await response.text() };
  }

  function showChosen() {
    const list = $("chosen");
    list.replaceChildren();
    chosen.slice(0, 50).forEach(function (c) {
      const li = document.createElement("li");
      li.textContent = c.name;
      list.appendChild(li);
    });
    if (chosen.length > 50) {
      const li = document.createElement("li");
      li.textContent = "… " + (chosen.length - 50) + " more";
      list.appendChild(li);
    }
    $("go").disabled = chosen.length === 0;
    say(chosen.length ? chosen.length + " 个文件 · files" : "", false);
  }

  function add(files) {
    for (const file of files) {
      chosen.push({ file: file, name: file.webkitRelativePath || file.name });
    }
    showChosen();
  }

  function entries(entry, prefix) {
    // A dropped folder, walked: every file with its path inside the folder.
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (file) { resolve([{ file: file, name: prefix + file.name }]); },
          function () { resolve([]); });
        return;
      }
      const reader = entry.createReader();
      let found = [];
      const more = function () {
        reader.readEntries(async function (batch) {
          if (!batch.length) { resolve(found); return; }
          for (const child of batch) {
            found = found.concat(await entries(child, prefix + entry.name + "/"));
          }
          more();
        }, function () { resolve(found); });
      };
      more();
    });
  }

  const drop = $("drop");
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", async function (event) {
    event.preventDefault();
    drop.classList.remove("over");
    const items = Array.from(event.dataTransfer.items || []);
    const roots = items.map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
    if (!roots.length) { add(event.dataTransfer.files); return; }
    for (const root of roots) chosen = chosen.concat(await entries(root, ""));
    showChosen();
  });
  drop.addEventListener("keydown", function (event) {
    // The drop area is focusable: Enter or Space opens the file chooser, as a button would.
    if (event.target === drop && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      $("files").click();
    }
  });
  $("files").addEventListener("change", function (event) { add(event.target.files); });
  $("folder").addEventListener("change", function (event) { add(event.target.files); });

  $("rulefile").addEventListener("change", async function (event) {
    const box = $("rulecheck");
    box.replaceChildren();
    const file = event.target.files[0];
    if (!file) { box.hidden = true; return; }
    const data = new FormData();
    data.append("rulefile", file, file.name);
    const response = await fetch("/rules/check", { method: "POST", body: data });
    const got = await answer(response);
    box.hidden = false;
    const head = document.createElement("p");
    if (!response.ok) {
      head.textContent = got.error;
      head.className = "bad";
    } else {
      head.textContent = got.ok
        ? (got.findings.length ? "规则文件可用，有以下提示 · usable, with findings:" : "规则文件检查通过 · the rule file is fine")
        : "规则文件无法使用 · the rule file cannot be used:";
      head.className = got.ok ? "ok" : "bad";
    }
    box.appendChild(head);
    listInto(box, got.findings || []);
  });

  function listInto(parent, lines) {
    if (!lines.length) return;
    const ul = document.createElement("ul");
    lines.forEach(function (line) {
      const li = document.createElement("li");
      li.textContent = line;
      ul.appendChild(li);
    });
    parent.appendChild(ul);
  }

  $("upload").addEventListener("submit", async function (event) {
    event.preventDefault();
    if (chosen.length > maxFiles) {
      say("最多 " + maxFiles + " 个文件 · at most " + maxFiles + " files at once", true);
      return;
    }
    const size = chosen.reduce((sum, c) => sum + c.file.size, 0);
    if (size > maxBytes) {
      say("文件共 " + Math.ceil(size / 1048576) + " MB，超过上限 · larger than the " +
        Math.floor(maxBytes / 1048576) + " MB accepted at once", true);
      return;
    }
    const data = new FormData();
    chosen.forEach((c) => data.append("files", c.file, c.name));
    data.append("rules", $("rules").value);
    data.append("lang", $("lang").value);
    for (const id of ["rulefile", "waivers"]) {
      const file = $(id).files && $(id).files[0];
      if (file) data.append(id, file, file.name);
    }
    $("go").disabled = true;
    say("上传中 · uploading…", false);
    const response = await fetch("/jobs", { method: "POST", body: data });
    const got = await answer(response);
    if (!response.ok) {
      say(got.error, true);
      if (got.findings) { $("rulecheck").hidden = false; listInto($("rulecheck"), got.findings); }
      $("go").disabled = false;
      return;
    }
    job = got;
    say(got.notes.length ? got.notes.join("; ") : "", false);
    start(got);
  });

  function start(got) {
    $("report").replaceChildren();
    $("downloads").hidden = true;
    $("progress").hidden = false;
    $("bar").max = got.total;
    $("bar").value = 0;
    $("live").replaceChildren();
    poll();
  }

  async function poll() {
    const response = await fetch("/jobs/" + job.id);
    if (!response.ok) { say((await answer(response)).error, true); return; }
    const got = await response.json();
    $("bar").value = got.done;
    $("count").textContent = got.done + " / " + got.total;
    const live = $("live");
    live.replaceChildren();
    got.forms.forEach(function (f) {
      const li = document.createElement("li");
      li.textContent = f.title + " — " + (f.recomputed || "-") + " (" + (f.printed || "-") + ")" +
        (f.errors ? " · " + f.errors + " 错误" : "");
      live.appendChild(li);
    });
    got.failures.forEach(function (f) {
      const li = document.createElement("li");
      li.className = "bad";
      li.textContent = f.file + ": " + f.message;
      live.appendChild(li);
    });
    if (got.state === "done" || got.state === "cancelled") { finish(got); return; }
    setTimeout(poll, 400);
  }

  async function finish(status) {
    const response = await fetch("/jobs/" + job.id + "/report");
    const html = await response.text();
    // The server escaped every value: the fragment is its own markup only.
    $("report").innerHTML = html;
    $("progress").hidden = true;
    document.querySelectorAll("#downloads a[data-what]").forEach(function (a) {
      a.href = "/jobs/" + job.id + "/download/" + a.dataset.what;
      a.setAttribute("download", "");
    });
    $("dl-annotated").hidden = !status.workbooks;
    $("dl-docx").hidden = !job.word;
    $("downloads").hidden = false;
    $("go").disabled = false;
    say("完成 · done", false);
  }

  $("report").addEventListener("click", async function (event) {
    const button = event.target.closest("button.explain");
    if (!button || !job) return;
    const row = button.dataset.row;
    const url = "/jobs/" + job.id + "/forms/" + button.dataset.form + "/explain" +
      (row ? "?row=" + encodeURIComponent(row) : "");
    const response = await fetch(url);
    $("explain-text").textContent = await response.text();
    $("explain-title").textContent = button.dataset.title || "计算过程 · explanation";
    $("explain").hidden = false;
  });
  $("explain-close").addEventListener("click", function () { $("explain").hidden = true; });

  $("clear").addEventListener("click", async function () {
    if (!job) return;
    await fetch("/jobs/" + job.id, { method: "DELETE" });
    job = null;
    chosen = [];
    showChosen();
    $("report").replaceChildren();
    $("downloads").hidden = true;
    say("已清除 · cleared", false);
  });
})();
