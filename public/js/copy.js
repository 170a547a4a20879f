// Issue 16: the console's "Copy" button for a secret shown once. The page works without this script: the button
// stays hidden and the value is selected by hand. No inline script: the pages' CSP allows scripts from 'self' only.
(function () {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) continue;
    const status = button.parentElement && button.parentElement.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = button.getAttribute("data-copied");
      } catch {
        // No permission (an insecure origin, a denied prompt): select the value so Ctrl+C copies it.
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (status) status.textContent = button.getAttribute("data-copy-failed");
      }
    });
  }
})();
