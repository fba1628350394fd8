// The hosts' dashboard: the queue per service against its norm, desks, assist requests, devices,
// a chart of today, the service norms of today, and actions on tickets. Everything goes through /host/{location}/api (the
// server adds the host's token); live changes come from /host/{location}/events.
import { api, debounce, fill, h } from "./live.js";
import { drawChart } from "./chart.js";
import { drawNormChart } from "./norms_chart.js";
import { attempt, followStream, minutes, say, screen, serviceName, texts } from "./staff.js";

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

// ---- desks
function renderDesks() {
  const items = queue.desks.map((desk) => {
    const config = screen.desks.find((d) => d.id === desk.id);
    const serving = desk.serving
      ? `${desk.serving} · ${desk.status === "serving" ? texts.serving : texts.called}` : texts.nobody_at_desk;
    return h("li", { class: `desk-item ${desk.open ? "is-open" : "is-closed"}`, dataset: { desk: desk.id } },
      h("div", { class: "desk-head" },
        h("p", { class: "desk-name" }, fill(texts.desk_label, { number: desk.number })),
        h("span", { class: `badge ${desk.open ? "badge-open" : "badge-closed"}` },
          h("span", { "aria-hidden": "true" }, desk.open ? "●" : "○"), desk.open ? texts.open : texts.closed),
        h("button", { type: "button", class: "button small", onclick: () => toggleDesk(desk) },
          desk.open ? texts.close_desk : texts.open_desk)),
      h("p", { class: "desk-serving" }, serving),
      h("p", { class: "desk-services" }, (config ? config.services : []).map(serviceName).join(" · ")));
  });
  document.getElementById("desks").replaceChildren(...items);
}

async function toggleDesk(desk) {
  await attempt(() => api("POST", `${base}/desks/${desk.id}/${desk.open ? "close" : "open"}`));
  refreshQueue();
}

// ---- waiting visitors, with actions
function ticketActions(ticket) {
  const transferSelect = h("select", { "aria-label": fill(texts.transfer_to, { number: ticket.number }) },
    screen.services.filter((s) => s.id !== ticket.service).map((s) => h("option", { value: s.id }, s.name)));
  const transferBox = h("span", { class: "transfer-box", hidden: true }, transferSelect,
    h("button", { type: "button", class: "button small", onclick: () => act(ticket, "transfer", { service: transferSelect.value }) }, texts.transfer));
  const cancelButton = h("button", { type: "button", class: "button small danger" }, texts.cancel);
  let armed = null;
  cancelButton.addEventListener("click", () => {
    if (armed) {
      clearTimeout(armed);
      act(ticket, "cancel");
      return;
    }
    cancelButton.textContent = fill(texts.confirm_cancel, { number: ticket.number });
    cancelButton.classList.add("armed");
    armed = setTimeout(() => {
      armed = null;
      cancelButton.textContent = texts.cancel;
      cancelButton.classList.remove("armed");
    }, 5000);
  });
  return h("div", { class: "ticket-actions" },
    ticket.priority ? null : h("button", { type: "button", class: "button small", onclick: () => act(ticket, "priority") }, texts.give_priority),
    h("button", { type: "button", class: "button small", "aria-expanded": "false", onclick: (event) => {
      transferBox.hidden = !transferBox.hidden;
      event.currentTarget.setAttribute("aria-expanded", String(!transferBox.hidden));
      if (!transferBox.hidden) transferSelect.focus();
    } }, `${texts.transfer}…`),
    transferBox,
    cancelButton);
}

function renderWaiting() {
  const tickets = queue.tickets || [];
  document.getElementById("waiting-count").textContent = String(tickets.length);
  const items = tickets.map((ticket) => {
    const waited = Math.max(0, Math.floor((serverNow() - Date.parse(ticket.queued_at)) / 60000));
    return h("li", { class: "ticket-item", dataset: { number: ticket.number } },
      h("div", { class: "ticket-line" },
        h("span", { class: "ticket-number" }, ticket.number),
        h("span", {}, serviceName(ticket.service)),
        h("span", { class: "muted", lang: ticket.language }, screen.languages[ticket.language] || ticket.language),
        h("span", { class: "muted" }, fill(texts.waited, { minutes: waited })),
        ticket.priority ? h("span", { class: "badge badge-priority" }, h("span", { "aria-hidden": "true" }, "★"), texts.priority) : null,
        ticket.kind === "appointment" ? h("span", { class: "badge" }, texts.appointment) : null,
        ticket.case_reference ? h("span", { class: "badge" }, fill(texts.about_case, { number: ticket.case_reference })) : null),
      ticketActions(ticket));
  });
  const list = document.getElementById("waiting");
  list.replaceChildren(...(items.length ? items : [h("li", { class: "empty" }, texts.no_waiting)]));
}

async function act(ticket, action, body) {
  const done = await attempt(() => api("POST", `${screen.api}/tickets/${ticket.id}/${action}`, body));
  if (done) {
    const message = { cancel: texts.cancelled, priority: texts.prioritised, transfer: texts.transferred }[action];
    say(fill(message, { number: ticket.number, service: serviceName(done.service) }));
  }
  refreshQueue();
}

// ---- assist requests
function renderAssist() {
  document.getElementById("assist-count").textContent = String(assist.length);
  const items = assist.map((request) => h("li", { class: `assist-item${freshAssist.has(request.id) ? " is-new" : ""}`, dataset: { id: request.id } },
    h("div", { class: "assist-text" },
      h("p", { class: "assist-reason" }, texts[`reason_${request.reason}`] || request.reason),
      h("p", { class: "assist-where" }, [request.place, texts[`role_${request.source}`] || request.source,
        timeOfDay.format(new Date(request.created_at))].filter(Boolean).join(" · ")),
      request.note ? h("p", { class: "assist-note" }, request.note) : null),
    h("button", { type: "button", class: "button primary", onclick: () => resolve(request) }, texts.resolve)));
  document.getElementById("assist").replaceChildren(...(items.length ? items : [h("li", { class: "empty" }, texts.no_assist)]));
}

async function resolve(request) {
  const done = await attempt(() => api("POST", `${base}/assist-requests/${request.id}/resolve`));
  if (done) say(texts.resolved);
  assist = assist.filter((r) => r.id !== request.id);
  renderAssist();
}

// ---- devices
function renderDevices() {
  const items = [...devices.values()].sort((a, b) => a.name.localeCompare(b.name)).map((device) => {
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
    return h("li", { class: "device-item", dataset: { device: device.device } },
      h("p", { class: "device-name" }, device.name, " ", h("span", { class: "muted" }, texts[`role_${device.role}`] || device.role)),
      h("p", { class: "device-facts" }, ...facts,
        device.at ? h("span", { class: "muted" }, fill(texts.last_report, { time: timeOfDay.format(new Date(device.at)) })) : null),
      device.role === "robot"
        ? h("button", { type: "button", class: "button small", onclick: () => commandRobot(device) },
          device.paused ? texts.resume_robot : texts.pause_robot)
        : null);
  });
  document.getElementById("devices").replaceChildren(...(items.length ? items : [h("li", { class: "empty" }, texts.no_devices)]));
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
function renderChart() {
  if (!today) return;
  drawChart(document.getElementById("chart-svg"), document.getElementById("chart-summary"),
    { ...today, now: new Date(serverNow()).toISOString() }, today.waiting, texts, screen.timezone);
}

// ---- service norms of today, from the service-norm report
const businessDay = new Intl.DateTimeFormat("en-CA", { timeZone: screen.timezone, year: "numeric", month: "2-digit", day: "2-digit" });

function businessDayNow() {
  const parts = Object.fromEntries(businessDay.formatToParts(new Date(serverNow())).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

async function loadNorms() {
  const day = businessDayNow();
  const report = await attempt(() => api("GET", `${base}/reports/service-norms?from=${day}&to=${day}`));
  if (!report) return;
  drawNormChart(document.getElementById("norms-svg"), document.getElementById("norms-summary"),
    document.getElementById("norms-table"), report, texts, serviceName);
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
