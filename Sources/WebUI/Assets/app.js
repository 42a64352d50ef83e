// The front desk's one script. Every page works without it; it only makes them quicker:
// search as you type, a live quote as order lines change, a line added without a round trip,
// fields shown for the chosen service, and a barcode scanner's Enter kept from posting a form.
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return function (...args) { clearTimeout(timer); timer = setTimeout(() => fn.apply(this, args), ms); };
}

function formBody(form) {
  return new URLSearchParams(new FormData(form));
}

// Search as you type: GET the results fragment and put it in place.
function liveSearch(input) {
  const target = document.getElementById(input.dataset.results);
  let latest = 0;
  input.addEventListener("input", debounce(async () => {
    const ticket = ++latest;
    const response = await fetch(input.dataset.liveSearch + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" });
    if (ticket === latest && response.ok) target.innerHTML = await response.text();
  }, 200));
}

// Show the measurements, details and add-ons that the chosen service takes.
function fitLine(line) {
  const select = line.querySelector("select.service");
  const option = select.selectedOptions[0];
  const unit = option ? option.dataset.unit : "";
  const group = option ? option.dataset.group : "";
  line.querySelectorAll(".area").forEach((el) => { el.hidden = unit !== "m2"; });
  line.querySelectorAll(".attribute").forEach((el) => {
    const groups = (el.dataset.groups || "").split(" ").filter(Boolean);
    el.hidden = groups.length > 0 && !groups.includes(group);
  });
}

function renumber(line, index) {
  line.dataset.line = String(index);
  line.querySelector("legend").textContent = line.querySelector("legend").textContent.replace(/\d+$/, String(index + 1));
  line.querySelectorAll("[name]").forEach((el) => { el.name = el.name.replace(/^l\d+\./, "l" + index + "."); });
}

function orderForm(form) {
  const target = document.getElementById(form.dataset.quoteTarget);
  let latest = 0;
  const quote = debounce(async () => {
    const ticket = ++latest;
    const response = await fetch(form.dataset.quote, {
      method: "POST", body: formBody(form), credentials: "same-origin",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    if (ticket === latest) target.innerHTML = await response.text();
  }, 250);
  form.addEventListener("input", quote);
  form.addEventListener("change", (event) => {
    const line = event.target.closest("fieldset.line");
    if (line && event.target.matches("select.service")) fitLine(line);
    quote();
  });
  const add = document.getElementById("add-line");
  if (add) add.addEventListener("click", (event) => {
    event.preventDefault();
    const lines = form.querySelectorAll("fieldset.line");
    const copy = lines[lines.length - 1].cloneNode(true);
    copy.querySelectorAll("input, select, textarea").forEach((el) => {
      if (el.type === "checkbox") el.checked = false;
      else if (el.name.endsWith(".quantity")) el.value = "1";
      else el.value = "";
    });
    renumber(copy, lines.length);
    lines[lines.length - 1].after(copy);
    fitLine(copy);
    copy.querySelector("select.service").focus();
  });
  form.querySelectorAll("fieldset.line").forEach(fitLine);
}

// A scanner types the tag and presses Enter: in a form's tag field that must not submit the
// whole form; it moves to the next field instead (the scan screen's own field does submit).
function tagField(field) {
  if (field.form && field.form.id === "scan-form") return;
  field.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const fields = Array.from(field.form.elements).filter((el) => !el.hidden && !el.disabled && el.type !== "hidden");
    const next = fields[fields.indexOf(field) + 1];
    if (next) next.focus();
  });
}

// The demo table on the sign-in page fills the form when a row is chosen.
function demoRow(row) {
  row.addEventListener("click", () => {
    document.getElementById("tenant").value = row.dataset.tenant;
    document.getElementById("email").value = row.dataset.email;
    document.getElementById("password").value = row.dataset.password;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-live-search]").forEach(liveSearch);
  document.querySelectorAll("form[data-quote]").forEach(orderForm);
  document.querySelectorAll("input[data-tag-field]").forEach(tagField);
  document.querySelectorAll("tr.demo-login").forEach(demoRow);
});
