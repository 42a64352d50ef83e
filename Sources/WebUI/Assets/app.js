// The front desk's one script. Every page works without it; it only makes them quicker:
// search as you type, a live quote as order lines change, a line added without a round trip,
// fields shown for the chosen service, and a barcode scanner's Enter kept from posting a form.
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return function (...args) { clearTimeout(timer); timer = setTimeout(() => fn.apply(this, args), ms); };
}

// A piece of a page, not a whole one: a redirect (to the sign-in page) or an error page is not.
function isFragment(response) {
  return response.ok && !response.redirected;
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
    if (ticket !== latest) return;
    if (isFragment(response)) target.innerHTML = await response.text();
    else if (response.redirected) window.location.assign(response.url);  // the session ended: to the sign-in page
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
    if (ticket !== latest) return;
    if (isFragment(response)) target.innerHTML = await response.text();
    else if (response.redirected) window.location.assign(response.url);
    else target.textContent = "";  // a refused form (an old page's token): the buttons post it and show why
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
// whole form; it moves to the next visible field instead (the scan screen's own field does
// submit). Listened for on the form, so that lines the script adds get it too.
function tagFields(form) {
  if (form.id === "scan-form") return;
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || !field.matches("input[data-tag-field]")) return;
    event.preventDefault();
    const fields = Array.from(form.elements).filter((el) => el.type !== "hidden" && !el.disabled && el.closest("[hidden]") === null);
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
  document.querySelectorAll("form").forEach(tagFields);
  document.querySelectorAll("tr.demo-login").forEach(demoRow);
});
