// A ticket's timeline for staff: each step with its time and who took it (a person's name, a
// device's name, or the system), from /{screen}/{location}/api/tickets/{id}/timeline.
import { api, fill, h } from "./live.js";
import { attempt, screen, serviceName, texts } from "./staff.js";

const timeOfDay = new Intl.DateTimeFormat(screen.language === "nl" ? "nl-NL" : "en-GB",
  { hour: "2-digit", minute: "2-digit", timeZone: screen.timezone });

function stepText(step) {
  return fill(texts[`step_${step.step}`] || step.step,
    { number: step.desk_number ?? step.desk ?? "", service: serviceName(step.service) });
}

function actorText(by) {
  if (!by) return texts.by_unknown;
  if (by.kind === "system") return texts.by_system;
  const role = by.role ? texts[`role_${by.role}`] || by.role : null;
  return fill(texts.by_actor, { name: by.name }) + (role ? ` (${role})` : "");
}

function stepItems(timeline) {
  return timeline.steps.map((step) => h("li", { class: "timeline-step", dataset: { step: step.step } },
    h("time", { class: "timeline-at", datetime: step.at }, timeOfDay.format(new Date(step.at))),
    h("span", { class: "timeline-what" }, stepText(step)),
    h("span", { class: "timeline-who" }, actorText(step.by))));
}

// Reads the ticket's timeline into the list; false when it could not be read (the person is told).
export async function showTimeline(list, ticketId) {
  const timeline = await attempt(() => api("GET", `${screen.api}/tickets/${encodeURIComponent(ticketId)}/timeline`));
  if (!timeline) return false;
  list.replaceChildren(...stepItems(timeline));
  return true;
}

// A disclosure ("Timeline") for a ticket in a list: read when opened, read again by refresh()
// while it is open. ticket() gives the item's ticket as it is now.
export function timelineDisclosure(ticket) {
  const list = h("ol", { class: "timeline" });
  const label = h("span", { class: "visually-hidden" });
  const details = h("details", { class: "timeline-details" }, h("summary", {}, texts.timeline, label), list);
  const read = () => showTimeline(list, ticket().id);
  details.addEventListener("toggle", () => {
    if (details.open) read();
  });
  details.refresh = () => {
    label.textContent = ` ${ticket().number}`;
    if (details.open) read();
  };
  details.refresh();
  return details;
}
