// Service norms today, per service, as inline SVG: the share of walk-ins helped within the norm
// against the norm's target, and the median and 80th-percentile wait against the norm's minutes.
// Every figure is also written as text (met or not: an icon and words, never colour alone), the
// caption sums it up, and the same figures go into a table for whoever cannot see the chart.
import { fill, h } from "./live.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDE = 680; // from this width (in CSS pixels) a service takes one row: name, share, wait
const HEAD = 24;
const ROW = 48;
const BAR = 14;

// The chart is drawn at the width it is shown at (one unit is one CSS pixel), so its text keeps
// the size set in staff.css at any window width or zoom; below WIDE each service's figures stack.
function layout(width) {
  if (width >= WIDE) {
    const scale = width / WIDE;
    return { wide: true, width, shareX: 185 * scale, shareBar: 170 * scale, waitX: 405 * scale, waitBar: 200 * scale,
      nameCharacters: Math.floor(22 * Math.min(scale, 1.4)) };
  }
  const bar = Math.min(width - 8, 360);
  return { wide: false, width, shareX: 0, shareBar: bar, waitX: 0, waitBar: bar, nameCharacters: Math.floor(width / 9) };
}

function node(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child instanceof Node ? child : String(child));
  return element;
}

const percent = (share) => Math.round(share * 100);

// A service name in one or two lines (split at the last space that keeps the first line short).
function nameLines(name, characters) {
  if (name.length <= characters || !name.includes(" ")) return [name];
  const cut = name.lastIndexOf(" ", characters);
  const at = cut > 0 ? cut : name.indexOf(" ");
  return [name.slice(0, at), name.slice(at + 1)];
}
const wholeMinutes = (value) => Math.round(value);

// The figures of one service as the chart, the caption and the table say them.
function figures(entry) {
  return {
    judged: entry.judged > 0,
    met: entry.norm_met === true,
    share: entry.within_norm_share === null ? null : percent(entry.within_norm_share),
    target: percent(entry.norm_share),
    norm: entry.norm_minutes,
    median: entry.median_wait_minutes === null ? null : wholeMinutes(entry.median_wait_minutes),
    p80: entry.p80_wait_minutes === null ? null : wholeMinutes(entry.p80_wait_minutes),
    visitors: entry.visitors,
  };
}

// A tick across a bar (the target, the norm), with a white halo so it shows on any fill.
function marker(x, top, kind) {
  return [node("line", { x1: x, x2: x, y1: top - 4, y2: top + 18, class: "norms-halo" }),
    node("line", { x1: x, x2: x, y1: top - 4, y2: top + 18, class: kind })];
}

// The share helped within the norm: a bar from `y`, its words below it.
function shareColumn(f, y, at, texts) {
  const top = y + 6;
  const SHARE_X = at.shareX;
  const SHARE_BAR = at.shareBar;
  const parts = [node("rect", { x: SHARE_X, y: top, width: SHARE_BAR, height: BAR, rx: 3, class: "norms-track" })];
  if (f.share !== null) {
    parts.push(node("rect", { x: SHARE_X, y: top, width: (SHARE_BAR * f.share) / 100, height: BAR, rx: 3,
      class: f.met ? "norms-met" : "norms-missed" }));
  }
  const target = SHARE_X + (SHARE_BAR * f.target) / 100;
  parts.push(...marker(target, top, "norms-target"));
  const verdict = !f.judged ? fill(texts.norms_not_judged, { target: f.target })
    : fill(f.met ? texts.norms_met : texts.norms_missed, { target: f.target });
  parts.push(node("text", { x: SHARE_X, y: y + 40, class: "norms-text" },
    f.judged ? node("tspan", { class: "norms-figure" }, `${f.share}% `) : "",
    f.judged ? node("tspan", { class: f.met ? "norms-icon-met" : "norms-icon-missed" }, f.met ? "✓ " : "✕ ") : "",
    verdict));
  return parts;
}

// The median and 80th-percentile wait against the norm: a bar from `y`, its words below it.
function waitColumn(f, y, scale, at, texts) {
  const top = y + 6;
  const WAIT_X = at.waitX;
  const WAIT_BAR = at.waitBar;
  const x = (minutes) => WAIT_X + (WAIT_BAR * Math.min(minutes, scale)) / scale;
  const parts = [node("rect", { x: WAIT_X, y: top, width: WAIT_BAR, height: BAR, rx: 3, class: "norms-track" })];
  if (f.p80 !== null) {
    parts.push(node("rect", { x: WAIT_X, y: top, width: x(f.p80) - WAIT_X, height: BAR, rx: 3, class: "norms-p80" }));
    parts.push(node("rect", { x: WAIT_X, y: top + 3, width: x(f.median) - WAIT_X, height: 8, rx: 2,
      class: "norms-median" }));
  }
  parts.push(...marker(x(f.norm), top, "norms-norm"));
  parts.push(node("text", { x: WAIT_X, y: y + 40, class: "norms-text" },
    f.p80 === null ? fill(texts.norms_no_waits, { norm: f.norm })
      : fill(texts.norms_waits, { median: f.median, p80: f.p80, norm: f.norm })));
  return parts;
}

// report: the service-norm report of today (GET .../reports/service-norms?from=today&to=today);
// width: the chart's width on the page, in CSS pixels.
export function drawNormChart(svg, caption, table, report, texts, serviceName, width = WIDE) {
  const at = layout(Math.max(240, Math.round(width)));
  const services = report.services.filter((entry) => entry.service !== "all" && entry.walk_ins > 0
    && entry.norm_minutes !== undefined);
  const rows = services.map((entry) => [entry, figures(entry)]);
  const scale = Math.max(1, ...rows.map(([, f]) => Math.max(f.norm, f.p80 || 0))) * 1.1;

  const parts = at.wide ? [
    node("text", { x: at.shareX, y: 16, class: "norms-heading" }, texts.norms_share_heading),
    node("text", { x: at.waitX, y: 16, class: "norms-heading" }, texts.norms_wait_heading),
  ] : [];
  let y = at.wide ? HEAD : 0;
  for (const [entry, f] of rows) {
    parts.push(node("line", { x1: 0, x2: at.width, y1: y, y2: y, class: "chart-grid" }));
    const lines = nameLines(serviceName(entry.service), at.nameCharacters);
    parts.push(node("text", { x: 0, y: y + 20, class: "norms-name" }, ...lines.map((line, index) =>
      node("tspan", { x: 0, dy: index ? 17 : 0 }, line))));
    if (at.wide) {
      parts.push(...shareColumn(f, y, at, texts), ...waitColumn(f, y, scale, at, texts));
      y += Math.max(ROW, 20 + lines.length * 17);
    } else {
      // One under the other: name, the share with its heading's words, the waits with theirs.
      const top = y + 10 + lines.length * 17;
      parts.push(node("text", { x: 0, y: top + 12, class: "norms-heading" }, texts.norms_share_heading));
      parts.push(...shareColumn(f, top + 16, at, texts));
      parts.push(node("text", { x: 0, y: top + 76, class: "norms-heading" }, texts.norms_wait_heading));
      parts.push(...waitColumn(f, top + 80, scale, at, texts));
      y = top + 136;
    }
  }
  svg.setAttribute("viewBox", `0 0 ${at.width} ${Math.max(y, ROW)}`);
  svg.replaceChildren(...(rows.length ? parts : []));

  const all = report.services.find((entry) => entry.service === "all");
  const judged = rows.filter(([, f]) => f.judged);
  caption.textContent = judged.length && all
    ? fill(texts.norms_summary, { met: judged.filter(([, f]) => f.met).length, judged: judged.length,
      share: percent(all.within_norm_share), median: wholeMinutes(all.median_wait_minutes || 0),
      p80: wholeMinutes(all.p80_wait_minutes || 0) })
    : texts.norms_empty;

  const minutes = (value) => (value === null ? "—" : fill(texts.minutes_short, { minutes: value }));
  table.replaceChildren(...rows.map(([entry, f]) => h("tr", { dataset: { service: entry.service } },
    h("th", { scope: "row" }, serviceName(entry.service)),
    h("td", { class: "numeric" }, f.judged
      ? `${f.share}% · ${fill(f.met ? texts.norms_met : texts.norms_missed, { target: f.target })}` : "—"),
    h("td", { class: "numeric" }, `${f.target}% ≤ ${fill(texts.minutes_short, { minutes: f.norm })}`),
    h("td", { class: "numeric" }, minutes(f.median)),
    h("td", { class: "numeric" }, minutes(f.p80)),
    h("td", { class: "numeric" }, f.visitors))));
}
