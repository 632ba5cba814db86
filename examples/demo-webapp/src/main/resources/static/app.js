// Copy and download only: every page works without this file.
(function () {
    "use strict";
    function codesText() {
        var items = document.querySelectorAll("#recovery-codes li");
        var lines = ["Acme Workspace recovery codes (" + new Date().toISOString().slice(0, 10) + ")", ""];
        items.forEach(function (item) { lines.push(item.textContent.trim()); });
        lines.push("", "Each code works once.");
        return lines.join("\n") + "\n";
    }
    function saved() {
        var box = document.getElementById("saved");
        if (box) { box.checked = true; }
    }
    function flash(button, text) {
        var original = button.textContent;
        button.textContent = text;
        setTimeout(function () { button.textContent = original; }, 1500);
    }
    function copy(text, button) {
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(text).then(function () { flash(button, "Copied"); });
        } else {
            var area = document.createElement("textarea");
            area.value = text;
            document.body.appendChild(area);
            area.select();
            try { document.execCommand("copy"); flash(button, "Copied"); } catch (e) { /* nothing to do */ }
            document.body.removeChild(area);
        }
    }
    document.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) { return; }
        if (button.hasAttribute("data-copy")) {
            var source = document.getElementById(button.getAttribute("data-copy"));
            if (source) { copy(source.textContent.replace(/\s+/g, " ").trim(), button); }
        } else if (button.hasAttribute("data-copy-codes")) {
            copy(codesText(), button);
            saved();
        } else if (button.hasAttribute("data-download-codes")) {
            var link = document.createElement("a");
            link.href = URL.createObjectURL(new Blob([codesText()], {type: "text/plain"}));
            link.download = "acme-recovery-codes.txt";
            document.body.appendChild(link);
            link.click();
            document.body.removeChild(link);
            saved();
        }
    });
    document.querySelectorAll("#access-limited, #access-full").forEach(function (radio) {
        radio.addEventListener("change", function () {
            var limited = document.getElementById("access-limited").checked;
            document.querySelectorAll(".permission-list input").forEach(function (box) { box.disabled = !limited; });
        });
    });
    document.querySelectorAll(".permission-list input").forEach(function (box) {
        box.addEventListener("change", function () {
            if (box.checked) { document.getElementById("access-limited").checked = true; }
        });
    });
})();
