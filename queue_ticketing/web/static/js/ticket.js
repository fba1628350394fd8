// The mobile ticket: where the visitor stands, live; "it's your turn: desk 4" when called.
import { announce, api, debounce, fill, follow, screenData } from "./live.js";

const screen = screenData();
const texts = screen.texts;
let ticket = screen.ticket;

let said = null; // what was last announced: each change is said once
let saidNext = null; // the same for when the visit's next service is expected

// Times of day as the page's language writes them (the server's Babel says the same: 09:05, 9:05 AM,
// 9:05 ص), in the location's time zone, with the digits the page uses everywhere. A browser without
// timeStyle (before 2020) would write the date instead: hours and minutes then.
const clock = (() => {
  const options = { timeZone: screen.timezone, numberingSystem: "latn" };
  const lang = document.documentElement.lang || "nl";
  const short = new Intl.DateTimeFormat(lang, { ...options, timeStyle: "short" });
  return short.resolvedOptions().timeStyle ? short
    : new Intl.DateTimeFormat(lang, { ...options, hour: "2-digit", minute: "2-digit" });
})();

// Shows the state; a change is announced once: "it's your turn" at once (assertive), a move in the
// queue politely, when the reader is done with what it was saying.
function show(title, detail = "", urgent = false) {
  const state = document.getElementById("state");
  state.dataset.status = ticket.status;
  // "10 min" stays on one line
  const words = [title, detail].map((text) => text.replace(/(\d) min/g, "$1\u00a0min"));
  document.getElementById("state-title").textContent = words[0];
  document.getElementById("state-detail").textContent = words[1];
  const sentence = words.filter(Boolean).join(". ");
  // The next service's expected start is said when it changes too, but never with "it's your turn".
  const next = urgent ? saidNext : nextSentence();
  const changes = [];
  if (said !== null && sentence !== said) changes.push(sentence);
  if (saidNext !== null && next && next !== saidNext) changes.push(next);
  if (changes.length) announce(urgent ? "say-now" : "say-politely", changes.join(". "));
  said = sentence;
  saidNext = next;
  document.getElementById("service").textContent = screen.services[ticket.service] || ticket.service;
  showVisit();
}

// "Expected around 10:40" or "Expected between 10:30 and 10:50"; "" when there is no estimate.
function expectedWords() {
  const next = ticket.next_service;
  if (!next) return "";
  // a time stays on one line ("9:05 ص", "10:40 AM")
  const [earliest, latest] = [next.earliest, next.latest]
    .map((at) => clock.format(new Date(at)).replace(/\s/g, "\u00a0"));
  return earliest === latest ? fill(texts.next_around, { time: earliest })
    : fill(texts.next_between, { earliest, latest });
}

// What a screen reader is told of it: "Next: Driving licence. Expected around 10:40".
function nextSentence() {
  const words = expectedWords();
  if (!words) return "";
  const service = ticket.next_service.service;
  return `${texts.visit_next}: ${screen.services[service] || service}. ${words}`;
}

// A visit of several services: each one marked done, now, next or after that, in words.
function showVisit() {
  const services = ticket.services || [ticket.service];
  const current = ticket.service_index || 0;
  document.getElementById("visit").hidden = services.length < 2;
  const marks = services.map((_, i) => (i < current ? "done" : i === current ? "now" : i === current + 1 ? "next" : "later"));
  document.getElementById("visit-list").replaceChildren(...services.map((service, i) => {
    const item = document.createElement("li");
    item.className = "visit-step";
    item.dataset.state = marks[i];
    if (marks[i] === "now") item.setAttribute("aria-current", "step");
    const name = document.createElement("span");
    name.className = "visit-name";
    name.textContent = screen.services[service] || service;
    const mark = document.createElement("span");
    mark.className = "visit-mark";
    mark.textContent = texts[`visit_${marks[i]}`];
    item.append(name, " ", mark);
    const expected = marks[i] === "next" ? expectedWords() : "";
    if (expected) {
      const when = document.createElement("span");
      when.className = "visit-expected";
      when.textContent = expected;
      item.append(" ", when);
    }
    return item;
  }));
}

let recalled = false; // the last call was "again"

function render() {
  const desk = ticket.desk_number;
  const wayfinding = desk ? screen.wayfinding[String(desk)] || "" : "";
  switch (ticket.status) {
    case "waiting": {
      const ahead = Math.max(0, ticket.position - 1);
      const line = ahead === 0 ? texts.ahead_none : ahead === 1 ? texts.ahead_one : fill(texts.ahead, { count: ahead });
      const range = ticket.estimated_wait_range;
      const wait = range ? fill(texts.estimate_range, { low: range.low, high: range.high })
        : ticket.estimated_wait_minutes > 0
          ? fill(texts.estimate, { minutes: ticket.estimated_wait_minutes }) : texts.estimate_none;
      show(line, wait);
      break;
    }
    case "called":
      show(fill(recalled ? texts.called_again : texts.your_turn, { desk }), wayfinding, true);
      break;
    case "serving":
      show(fill(texts.serving, { desk }));
      break;
    default:
      show(texts[ticket.status] || texts.done);
  }
}

async function refresh() {
  try {
    const fresh = await api("GET", screen.ticket_url);
    const wasCalled = ticket.status === "called";
    ticket = { ...ticket, ...fresh };
    render();
    if (!wasCalled && ticket.status === "called") notify();
  } catch {
    // the stream's offline state tells the visitor; the next event or reconnect refreshes
  }
}
// Many phones follow one queue: spread their refreshes a little.
const refreshSoon = debounce(refresh, 600 + Math.random() * 900);

function notify() {
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
}

// A visit at a desk with a next service follows the queue it will join (its expected start).
function joinsAnotherQueue() {
  const atDesk = ticket.status === "called" || ticket.status === "serving";
  return atDesk && (ticket.services || []).length > (ticket.service_index || 0) + 1;
}

function handle(type, data) {
  if (data.number !== ticket.number) {
    if (type === "queue.changed" && (ticket.status === "waiting" || joinsAnotherQueue())) refreshSoon();
    return;
  }
  if (type === "ticket.called" || type === "ticket.recalled") {
    // Show the call at once, from the event; the refresh confirms it.
    ticket = { ...ticket, status: "called", desk_number: data.desk_number ?? ticket.desk_number };
    recalled = type === "ticket.recalled";
    render();
    notify();
  }
  refresh();
}

function setOnline(online, reconnected) {
  const live = document.getElementById("live");
  live.classList.toggle("is-offline", !online);
  document.body.dataset.stream = online ? "online" : "offline";
  document.getElementById("live-text").textContent = online ? texts.live : texts.offline;
  if (online) (reconnected ? refreshSoon : refresh)();
}

render();
follow(screen.events_url, ["ticket.called", "ticket.recalled", "ticket.updated", "queue.changed"],
  { onEvent: handle, onState: setOnline });
