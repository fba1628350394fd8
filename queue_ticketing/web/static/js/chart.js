// A small step chart of waiting visitors through today, as inline SVG.
import { fill } from "./live.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 160;
const LEFT = 34;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 24;

function node(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

// day: {opens, closes, now} (ISO strings); points: [[ISO time, count], ...] oldest first; width: the
// chart's width on the page in CSS pixels (one unit is one pixel, so the labels keep their size).
export function drawChart(svg, caption, day, points, texts, timeZone, width = 600) {
  const WIDTH = Math.max(240, Math.round(width));
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  const start = Math.min(Date.parse(day.opens), points.length ? Date.parse(points[0][0]) : Infinity);
  const now = Date.parse(day.now);
  const end = Math.max(Date.parse(day.closes), now);
  const most = points.reduce((best, point) => (point[1] > best[1] ? point : best), [day.now, 0]);
  const top = Math.max(4, Math.ceil((most[1] * 1.25) / 2) * 2); // even: the middle line is a whole number
  const x = (t) => LEFT + ((t - start) / (end - start)) * (WIDTH - LEFT - RIGHT);
  const y = (n) => HEIGHT - BOTTOM - (n / top) * (HEIGHT - TOP - BOTTOM);
  const hour = new Intl.DateTimeFormat("nl-NL", { hour: "2-digit", minute: "2-digit", timeZone });

  const parts = [];
  for (const n of [0, top / 2, top]) {
    parts.push(node("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(n), y2: y(n), class: "chart-grid" }));
    parts.push(node("text", { x: LEFT - 6, y: y(n) + 4, "text-anchor": "end", class: "chart-label" }, String(n)));
  }
  const firstHour = new Date(start);
  firstHour.setMinutes(0, 0, 0);
  const every = WIDTH < 420 ? 2 : 1; // a label every other hour on a narrow chart
  for (let t = firstHour.getTime() + 3600000, n = 0; t < end; t += 3600000, n += 1) {
    if (t <= start || n % every) continue;
    parts.push(node("line", { x1: x(t), x2: x(t), y1: HEIGHT - BOTTOM, y2: HEIGHT - BOTTOM + 4, class: "chart-axis" }));
    parts.push(node("text", { x: x(t), y: HEIGHT - 6, "text-anchor": "middle", class: "chart-label" },
      hour.format(new Date(t)).slice(0, 2)));
  }
  parts.push(node("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(0), y2: y(0), class: "chart-axis" }));

  if (points.length) {
    let path = `M${x(Date.parse(points[0][0])).toFixed(1)},${y(0).toFixed(1)}`;
    let last = 0;
    for (const [at, count] of points) {
      const px = x(Math.min(Date.parse(at), now)).toFixed(1);
      path += ` L${px},${y(last).toFixed(1)} L${px},${y(count).toFixed(1)}`;
      last = count;
    }
    path += ` L${x(now).toFixed(1)},${y(last).toFixed(1)}`;
    const area = `${path} L${x(now).toFixed(1)},${y(0).toFixed(1)} Z`;
    parts.push(node("path", { d: area, class: "chart-area" }));
    parts.push(node("path", { d: path, class: "chart-line" }));
  }
  parts.push(node("line", { x1: x(now), x2: x(now), y1: TOP, y2: HEIGHT - BOTTOM, class: "chart-now" }));
  svg.replaceChildren(...parts);

  const current = points.length ? points[points.length - 1][1] : 0;
  caption.textContent = points.length
    ? fill(texts.chart_summary, { now: current, most: most[1], time: hour.format(new Date(most[0])) })
    : texts.chart_empty;
}
