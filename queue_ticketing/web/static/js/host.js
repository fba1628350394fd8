// The hosts' dashboard: the queue per service against its norm, desks, assist requests, devices,
// a chart of today, the service norms of today, and actions on tickets. Everything goes through /host/{location}/api (the
// server adds the host's token); live changes come from /host/{location}/events.
import { announce, api, debounce, fill, h, syncList } from "./live.js";
import { drawChart } from "./chart.js";
import { drawNormChart } from "./norms_chart.js";
import { attempt, followStream, minutes, say, screen, serviceName, texts } from "./staff.js";
import { timelineDisclosure } from "./timeline.js";
import "./booking.js";

const base = `${screen.api}/locations/${screen.location}`;
const timeOfDay = new Intl.DateTimeFormat(screen.language === "nl" ? "nl-NL" : "en-GB",
  { hour: "2-digit", minute: "2-digit", timeZone: screen.timezone });

let queue = null;
let serverOffset = 0; // server clock minus this browser's clock
let assist = [];
const devices = new Map();
let today = null;
const freshAssist = new Set();

const serverNow = () => Date.now() + serverOffset;

// ---- waiting per service, against the norm (colour and words and an icon, never colour alone)
function normState(service) {
  if (service.waiting === 0) return null;
  const share = service.longest_wait_minutes / service.norm_minutes;
  if (share >= 1) return ["over", "✕", texts.over_norm];
  if (share >= 0.75) return ["near", "!", texts.near_norm];
  return ["ok", "✓", texts.within_norm];
}

function renderServices() {
  const rows = queue.services.map((service) => {
    const state = normState(service);
    return h("tr", { dataset: { service: service.service } },
      h("th", { scope: "row" }, h("span", { class: "letter", "aria-hidden": "true" }, service.letter), " ", serviceName(service.service)),
      h("td", { class: "numeric waiting-number" }, service.waiting),
      h("td", {}, state
        ? h("span", { class: `norm norm-${state[0]}` },
          h("span", { class: "norm-icon", "aria-hidden": "true" }, state[1]),
          `${minutes(service.longest_wait_minutes)} / ${minutes(service.norm_minutes)} · ${state[2]}`)
        : h("span", { class: "muted" }, `— / ${minutes(service.norm_minutes)}`)),
      h("td", { class: "numeric" }, service.waiting ? minutes(service.estimated_wait_minutes) : "—"));
  });
  document.getElementById("services").replaceChildren(...rows);
}

// ---- desks (updated in place: a host's focus on "Close desk" stays there)
function deskItem() {
  const item = h("li", { class: "desk-item" },
    h("div", { class: "desk-head" },
      h("p", { class: "desk-name" }),
      h("span", { class: "badge" }),
      h("button", { type: "button", class: "button small desk-toggle", onclick: () => toggleDesk(item.desk) })),
    h("p", { class: "desk-serving" }),
    h("p", { class: "desk-services" }));
  return item;
}

function updateDesk(item, desk) {
  item.desk = desk;
  const config = screen.desks.find((d) => d.id === desk.id);
  item.className = `desk-item ${desk.open ? "is-open" : "is-closed"}`;
  item.dataset.desk = desk.id;
  setText(item.querySelector(".desk-name"), fill(texts.desk_label, { number: desk.number }));
  const badge = item.querySelector(".badge");
  badge.className = `badge ${desk.open ? "badge-open" : "badge-closed"}`;
  if (badge.dataset.open !== String(desk.open)) {
    badge.dataset.open = String(desk.open);
    badge.replaceChildren(h("span", { "aria-hidden": "true" }, desk.open ? "●" : "○"), desk.open ? texts.open : texts.closed);
  }
  setText(item.querySelector(".desk-toggle"), desk.open ? texts.close_desk : texts.open_desk);
  setText(item.querySelector(".desk-serving"), desk.serving
    ? `${desk.serving} · ${desk.status === "serving" ? texts.serving : texts.called}` : texts.nobody_at_desk);
  setText(item.querySelector(".desk-services"), (config ? config.services : []).map(serviceName).join(" · "));
}

function renderDesks() {
  syncList(document.getElementById("desks"), queue.desks, (desk) => desk.id,
    (desk) => { const item = deskItem(); updateDesk(item, desk); return item; }, updateDesk);
}

async function toggleDesk(desk) {
  const done = await attempt(() => api("POST", `${base}/desks/${desk.id}/${desk.open ? "close" : "open"}`));
  if (done !== undefined) say(fill(desk.open ? texts.desk_closed : texts.desk_opened, { number: desk.number }));
  refreshQueue();
}

// Only what changed is written: an unchanged text is not touched (nor re-read by a screen reader).
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

// ---- waiting visitors, with actions. Each ticket's item is built once and updated in place: an
// open transfer box, an armed "really cancel?" and the focus stay while the queue changes.
function ticketItem(ticket) {
  const item = h("li", { class: "ticket-item" }, h("div", { class: "ticket-line" }));
  item.ticket = ticket;
  const current = () => item.ticket;
  const transferSelect = h("select", { class: "transfer-select" },
    screen.services.map((s) => h("option", { value: s.id }, s.name)));
  const transferToggle = h("button", { type: "button", class: "button small transfer-toggle", "aria-expanded": "false" },
    `${texts.transfer}…`);
  const transferBox = h("span", { class: "transfer-box", hidden: true }, transferSelect,
    h("button", { type: "button", class: "button small", onclick: async () => {
      if (await act(current(), "transfer", { service: transferSelect.value })) {
        transferBox.hidden = true;
        transferToggle.setAttribute("aria-expanded", "false");
        transferToggle.focus();
      }
    } }, texts.transfer));
  transferToggle.addEventListener("click", () => {
    transferBox.hidden = !transferBox.hidden;
    transferToggle.setAttribute("aria-expanded", String(!transferBox.hidden));
    if (!transferBox.hidden) transferSelect.focus();
  });
  transferBox.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    transferBox.hidden = true;
    transferToggle.setAttribute("aria-expanded", "false");
    transferToggle.focus();
  });
  const cancelButton = h("button", { type: "button", class: "button small danger cancel-ticket" }, texts.cancel);
  let armed = null;
  const disarm = () => {
    clearTimeout(armed);
    armed = null;
    cancelButton.textContent = texts.cancel;
    cancelButton.classList.remove("armed");
  };
  cancelButton.addEventListener("click", () => {
    if (armed) {
      disarm();
      act(current(), "cancel");
      return;
    }
    cancelButton.textContent = fill(texts.confirm_cancel, { number: current().number });
    cancelButton.classList.add("armed");
    armed = setTimeout(disarm, 5000);
  });
  const priorityButton = h("button", { type: "button", class: "button small give-priority",
    onclick: () => act(current(), "priority") }, texts.give_priority);
  item.append(h("div", { class: "ticket-actions" }, priorityButton, transferToggle, transferBox, cancelButton),
    timelineDisclosure(current));
  updateTicket(item, ticket);
  return item;
}

function updateTicket(item, ticket) {
  item.ticket = ticket;
  item.dataset.number = ticket.number;
  const waited = Math.max(0, Math.floor((serverNow() - Date.parse(ticket.queued_at)) / 60000));
  const facts = [ticket.number, ticket.service, ticket.language, waited, ticket.priority, ticket.kind, ticket.case_reference].join("|");
  const line = item.querySelector(".ticket-line");
  if (line.dataset.facts !== facts) { // nothing focusable in the line: it may be written anew
    line.dataset.facts = facts;
    const timeline = item.querySelector(".timeline-details");
    if (timeline) timeline.refresh();
    line.replaceChildren(...[
      h("span", { class: "ticket-number" }, ticket.number),
      h("span", {}, serviceName(ticket.service)),
      h("span", { class: "muted", lang: ticket.language }, screen.languages[ticket.language] || ticket.language),
      h("span", { class: "muted" }, fill(texts.waited, { minutes: waited })),
      ticket.priority ? h("span", { class: "badge badge-priority" }, h("span", { "aria-hidden": "true" }, "★"), texts.priority) : null,
      ticket.kind === "appointment" ? h("span", { class: "badge" }, texts.appointment) : null,
      ticket.case_reference ? h("span", { class: "badge" }, fill(texts.about_case, { number: ticket.case_reference })) : null,
    ].filter(Boolean));
  }
  const priority = item.querySelector(".give-priority");
  if (ticket.priority && document.activeElement === priority) item.querySelector(".transfer-toggle").focus();
  priority.hidden = Boolean(ticket.priority);
  const select = item.querySelector(".transfer-select");
  select.setAttribute("aria-label", fill(texts.transfer_to, { number: ticket.number }));
  for (const option of select.options) option.disabled = option.value === ticket.service;
  if (select.value === ticket.service) {
    const other = [...select.options].find((o) => !o.disabled);
    if (other) select.value = other.value;
  }
}

function renderWaiting() {
  const tickets = queue.tickets || [];
  setText(document.getElementById("waiting-count"), String(tickets.length));
  syncList(document.getElementById("waiting"), tickets, (ticket) => ticket.id, ticketItem, updateTicket,
    () => h("li", { class: "empty" }, texts.no_waiting));
}

// Does one action on a ticket; true when it was done.
async function act(ticket, action, body) {
  const done = await attempt(() => api("POST", `${screen.api}/tickets/${ticket.id}/${action}`, body));
  if (done) {
    const message = { cancel: texts.cancelled, priority: texts.prioritised, transfer: texts.transferred }[action];
    say(fill(message, { number: ticket.number, service: serviceName(done.service) }));
  }
  refreshQueue();
  return Boolean(done);
}

// ---- assist requests: a new one is announced once; the list is updated in place, never re-read
function assistItem(request) {
  const item = h("li", { class: "assist-item" },
    h("div", { class: "assist-text" },
      h("p", { class: "assist-reason" }, texts[`reason_${request.reason}`] || request.reason),
      h("p", { class: "assist-where" }, assistWhere(request)),
      request.note ? h("p", { class: "assist-note" }, request.note) : null),
    h("button", { type: "button", class: "button primary", onclick: () => resolve(request) }, texts.resolve));
  updateAssist(item, request);
  return item;
}

function assistWhere(request) {
  return [request.place, texts[`role_${request.source}`] || request.source,
    timeOfDay.format(new Date(request.created_at))].filter(Boolean).join(" · ");
}

function updateAssist(item, request) {
  item.dataset.id = request.id;
  item.classList.toggle("is-new", freshAssist.has(request.id));
}

function renderAssist() {
  setText(document.getElementById("assist-count"), String(assist.length));
  syncList(document.getElementById("assist"), assist, (request) => request.id, assistItem, updateAssist,
    () => h("li", { class: "empty" }, texts.no_assist));
}

async function resolve(request) {
  const done = await attempt(() => api("POST", `${base}/assist-requests/${request.id}/resolve`));
  if (done !== undefined) say(texts.resolved);
  assist = assist.filter((r) => r.id !== request.id);
  renderAssist();
}

// ---- devices (updated in place: "Pause robot" keeps the focus when it turns into "Resume robot")
function deviceFacts(device) {
  const facts = [h("span", { class: `badge ${device.online === false ? "badge-closed" : "badge-open"}` },
    h("span", { "aria-hidden": "true" }, device.online === false ? "○" : "●"),
    device.online === false ? texts.offline_device : texts.online)];
  if (device.battery_percent !== undefined && device.battery_percent !== null) {
    const low = device.battery_percent < 20;
    facts.push(h("span", { class: `badge${low ? " badge-warning" : ""}` }, low ? h("span", { "aria-hidden": "true" }, "!") : null,
      fill(texts.battery, { percent: device.battery_percent })));
  }
  if (device.printer && device.printer !== "none") {
    const trouble = device.printer !== "ok";
    facts.push(h("span", { class: `badge${trouble ? " badge-warning" : ""}` }, trouble ? h("span", { "aria-hidden": "true" }, "!") : null,
      texts[`printer_${device.printer}`] || device.printer));
  }
  if (device.tablet) {
    const trouble = device.tablet !== "ok";
    facts.push(h("span", { class: `badge${trouble ? " badge-warning" : ""}` }, trouble ? h("span", { "aria-hidden": "true" }, "!") : null,
      texts[`tablet_${device.tablet}`] || device.tablet));
  }
  if (device.paused) {
    facts.push(h("span", { class: "badge badge-closed" }, h("span", { "aria-hidden": "true" }, "⏸"), texts.paused));
  }
  if (device.at) facts.push(h("span", { class: "muted" }, fill(texts.last_report, { time: timeOfDay.format(new Date(device.at)) })));
  return facts;
}

function deviceItem(device) {
  const item = h("li", { class: "device-item", dataset: { device: device.device } },
    h("p", { class: "device-name" }, device.name, " ", h("span", { class: "muted" }, texts[`role_${device.role}`] || device.role)),
    h("p", { class: "device-facts" }),
    device.role === "robot"
      ? h("button", { type: "button", class: "button small robot-command", onclick: () => commandRobot(item.device) })
      : null);
  updateDevice(item, device);
  return item;
}

function updateDevice(item, device) {
  item.device = device;
  const facts = item.querySelector(".device-facts");
  const key = JSON.stringify([device.online, device.battery_percent, device.printer, device.tablet, device.paused, device.at]);
  if (facts.dataset.facts !== key) {
    facts.dataset.facts = key;
    facts.replaceChildren(...deviceFacts(device));
  }
  const button = item.querySelector(".robot-command");
  if (button) setText(button, device.paused ? texts.resume_robot : texts.pause_robot);
}

function renderDevices() {
  const sorted = [...devices.values()].sort((a, b) => a.name.localeCompare(b.name));
  syncList(document.getElementById("devices"), sorted, (device) => device.device, deviceItem, updateDevice,
    () => h("li", { class: "empty" }, texts.no_devices));
}

// A host pauses or resumes a robot; the device.command event updates every open dashboard.
async function commandRobot(device) {
  const command = device.paused ? "resume" : "pause";
  const done = await attempt(() => api("POST", `${base}/devices/${encodeURIComponent(device.device)}/commands`, { command }));
  if (done) {
    device.paused = command === "pause";
    say(fill(device.paused ? texts.robot_paused : texts.robot_resumed, { name: device.name }));
    renderDevices();
  }
}

// ---- chart of today
// The charts are drawn at the width they are shown at, and again when it changes.
const chartWidth = (svg) => svg.getBoundingClientRect().width || svg.parentElement.getBoundingClientRect().width;

function renderChart() {
  if (!today) return;
  const svg = document.getElementById("chart-svg");
  drawChart(svg, document.getElementById("chart-summary"),
    { ...today, now: new Date(serverNow()).toISOString() }, today.waiting, texts, screen.timezone, chartWidth(svg));
}

// ---- service norms of today, from the service-norm report
const businessDay = new Intl.DateTimeFormat("en-CA", { timeZone: screen.timezone, year: "numeric", month: "2-digit", day: "2-digit" });

function businessDayNow() {
  const parts = Object.fromEntries(businessDay.formatToParts(new Date(serverNow())).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

let normsReport = null;

function renderNorms() {
  if (!normsReport) return;
  const svg = document.getElementById("norms-svg");
  drawNormChart(svg, document.getElementById("norms-summary"), document.getElementById("norms-table"),
    normsReport, texts, serviceName, chartWidth(svg));
}

async function loadNorms() {
  const day = businessDayNow();
  const report = await attempt(() => api("GET", `${base}/reports/service-norms?from=${day}&to=${day}`));
  if (!report) return;
  normsReport = report;
  renderNorms();
}

const redrawCharts = debounce(() => { renderChart(); renderNorms(); }, 100);
const chartSizes = new Map();
const sizes = new ResizeObserver((entries) => {
  // Only a change of width redraws (a redraw changes the height).
  if (entries.some((entry) => chartSizes.get(entry.target) !== Math.round(entry.contentRect.width))) redrawCharts();
  for (const entry of entries) chartSizes.set(entry.target, Math.round(entry.contentRect.width));
});
for (const figure of document.querySelectorAll(".chart")) sizes.observe(figure);

// A table box is a stop for the keyboard (to scroll it with the arrow keys) only while it is too
// narrow for its table.
const tableBoxes = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const box = entry.target.closest(".table-scroll");
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  }
});
for (const box of document.querySelectorAll(".table-scroll")) {
  tableBoxes.observe(box);
  tableBoxes.observe(box.firstElementChild);
}
const refreshNorms = debounce(loadNorms, 2000);

// ---- loading and live updates
async function loadQueue() {
  const fresh = await attempt(() => api("GET", `${base}/queue`));
  if (!fresh) return;
  queue = fresh;
  serverOffset = Date.parse(queue.at) - Date.now();
  renderServices();
  renderDesks();
  renderWaiting();
  if (today) {
    const total = queue.services.reduce((sum, s) => sum + s.waiting, 0);
    const last = today.waiting[today.waiting.length - 1];
    if (!last || last[1] !== total) today.waiting.push([queue.at, total]);
    renderChart();
  }
}
const refreshQueue = debounce(loadQueue, 250);

async function loadAssist() {
  const open = await attempt(() => api("GET", `${base}/assist-requests`));
  if (open) {
    assist = open;
    renderAssist();
  }
}

async function loadToday() {
  const fresh = await attempt(() => api("GET", screen.today));
  if (!fresh) return;
  today = fresh;
  for (const device of today.devices) devices.set(device.device, device);
  renderDevices();
  renderChart();
}

function onEvent(type, data) {
  if (type === "assist.requested") {
    if (!assist.some((r) => r.id === data.id)) {
      assist.push(data);
      freshAssist.add(data.id);
      setTimeout(() => { freshAssist.delete(data.id); renderAssist(); }, 15000);
      announce("announcer", fill(texts.assist_new, { reason: texts[`reason_${data.reason}`] || data.reason, where: assistWhere(data) }));
    }
    renderAssist();
  } else if (type === "assist.resolved") {
    assist = assist.filter((r) => r.id !== data.id);
    renderAssist();
  } else if (type === "device.status") {
    const known = devices.get(data.device);
    devices.set(data.device, { ...data, paused: known ? known.paused : undefined, at: new Date(serverNow()).toISOString() });
    renderDevices();
  } else if (type === "device.command") {
    const known = devices.get(data.device);
    if (known) {
      known.paused = data.command === "pause";
      renderDevices();
    }
  } else {
    refreshQueue();
    if (type === "ticket.called" || type === "ticket.updated") refreshNorms();
  }
}

document.getElementById("issue-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { service: form.service.value, language: form.language.value, priority: form.priority.checked };
  const caseNumber = form.case_reference.value.trim();
  if (caseNumber) body.case_reference = caseNumber;
  form.case_reference.removeAttribute("aria-invalid");
  const ticket = await attempt(() => api("POST", `${base}/tickets`, body), (problem) => {
    if (problem.code === "invalid_case_reference") {
      form.case_reference.setAttribute("aria-invalid", "true");
      form.case_reference.focus();
    }
  });
  if (ticket) {
    const message = fill(texts.issued, { number: ticket.number, position: ticket.position, minutes: ticket.estimated_wait_minutes });
    document.getElementById("issue-result").textContent = message;
    form.priority.checked = false;
    form.case_reference.value = "";
    refreshQueue();
  }
});

followStream(screen.events, ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.updated", "queue.changed",
  "assist.requested", "assist.resolved", "device.status", "device.command"], onEvent, () => { loadQueue(); loadAssist(); });
await loadQueue();
await Promise.all([loadAssist(), loadToday(), loadNorms()]);
setInterval(loadQueue, 30000); // waits and estimates grow with time, not only with events
setInterval(loadNorms, 60000); // so do the waits of those not called yet
