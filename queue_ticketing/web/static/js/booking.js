// The hosts' dashboard books an appointment for a visitor at the desk: service, then a day with free
// places, then a time, then book. It shows the check-in code, a QR code to the visitor's page and a
// slip to print; a time taken a moment before offers the next free ones. Only service, day, time and
// language are sent: never a name.
import { api, fill, h } from "./live.js";
import { attempt, say, screen, texts } from "./staff.js";

const form = document.getElementById("book-form");
const locale = screen.language === "nl" ? "nl-NL" : "en-GB";
const base = `${screen.api}/locations/${screen.location}`;
const page = `/host/${encodeURIComponent(screen.location)}`;
const timeOfDay = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: screen.timezone });
const dayOfWeek = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: screen.timezone });
// A day of the calendar ("2026-11-30"), named as it is where the location is.
const dayName = (day) => dayOfWeek.format(new Date(`${day}T12:00:00Z`));

const element = (id) => document.getElementById(id);

function fillSelect(select, items) {
  select.replaceChildren(...items.map(([value, label]) => h("option", { value }, label)));
  select.disabled = items.length === 0;
}

function hideNext() {
  element("book-next").hidden = true;
  element("book-next-times").replaceChildren();
}

async function loadDays() {
  hideNext();
  const service = form.service.value;
  fillSelect(form.day, []);
  fillSelect(form.time, []);
  element("book-submit").disabled = true;
  element("book-status").textContent = texts.book_looking;
  const answer = await attempt(() => api("GET", `${base}/slot-days?service=${encodeURIComponent(service)}`),
    (problem) => { element("book-status").textContent = ""; if (problem.code === "booked_elsewhere") elsewhere(problem); });
  if (!answer || service !== form.service.value) return;
  fillSelect(form.day, answer.days.map((day) => [day, dayName(day)]));
  element("book-status").textContent = answer.days.length ? "" : texts.book_no_days;
  if (answer.days.length) await loadTimes();
}

async function loadTimes() {
  const service = form.service.value;
  const day = form.day.value;
  fillSelect(form.time, []);
  element("book-submit").disabled = true;
  if (!day) return;
  const answer = await attempt(() => api("GET",
    `${base}/slots?service=${encodeURIComponent(service)}&date=${encodeURIComponent(day)}`));
  if (!answer || service !== form.service.value || day !== form.day.value) return;
  fillSelect(form.time, answer.slots.map((slot) => [slot.starts_at, timeOfDay.format(new Date(slot.starts_at))]));
  element("book-submit").disabled = answer.slots.length === 0;
  element("book-status").textContent = answer.slots.length ? "" : texts.book_no_times;
}

// The time was taken a moment before: the next free ones, each a button that books it.
function offerNext(times) {
  const list = element("book-next-times");
  list.replaceChildren(...times.map((startsAt) => h("li", {},
    h("button", { type: "button", class: "button small", onclick: () => book(startsAt) },
      fill(texts.book_at, { day: dayOfWeek.format(new Date(startsAt)), time: timeOfDay.format(new Date(startsAt)) })))));
  element("book-next-text").textContent = times.length ? texts.book_slot_taken : texts.book_no_days;
  element("book-next").hidden = false;
  const first = list.querySelector("button");
  if (first) first.focus();
  loadTimes();
}

// This location books on the city's website: its address (and QR code, when the page has it).
function elsewhere(problem) {
  form.hidden = true;
  const block = element("book-elsewhere");
  if (problem.data.booking_url && !block.querySelector("a")) {
    block.replaceChildren(h("p", {}, screen.errors.booked_elsewhere),
      h("p", { class: "book-website" }, h("a", { href: problem.data.booking_url, rel: "noopener noreferrer", target: "_blank" },
        problem.data.booking_url)));
  }
  block.hidden = false;
}

function showResult(appointment) {
  const when = new Date(appointment.starts_at);
  const message = fill(texts.book_booked, { day: dayOfWeek.format(when), time: timeOfDay.format(when), code: appointment.code });
  form.hidden = true;
  element("book-result").hidden = false;
  element("book-result-title").textContent = message;
  element("book-code").textContent = appointment.code;
  element("book-qr").src = `${page}/appointments/${encodeURIComponent(appointment.id)}/qr.svg`;
  element("book-print").href = `${page}/appointments/${encodeURIComponent(appointment.id)}`;
  element("book-result-title").focus();
  say(message);
}

async function book(startsAt) {
  hideNext();
  const body = { location: screen.location, service: form.service.value, starts_at: startsAt, language: form.language.value };
  const appointment = await attempt(() => api("POST", `${screen.api}/appointments`, body), (problem) => {
    if (problem.code === "slot_taken") offerNext(problem.data.next_free || []);
    else if (problem.code === "booked_elsewhere") elsewhere(problem);
  });
  if (appointment) showResult(appointment);
}

if (form) {
  form.service.addEventListener("change", loadDays);
  form.day.addEventListener("change", loadTimes);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.time.value) book(form.time.value);
  });
  element("book-again").addEventListener("click", () => {
    element("book-result").hidden = true;
    form.hidden = false;
    form.service.focus();
    loadDays();
  });
  loadDays();
}
