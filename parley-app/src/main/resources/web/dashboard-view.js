// Draws the dashboard from its samples: figures, sparklines, tables. No dependencies.

const fmt = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

function human(n) {
  if (n >= 1e9) return fmt.format(n / 1e9) + " G";
  if (n >= 1e6) return fmt.format(n / 1e6) + " M";
  if (n >= 1e3) return fmt.format(n / 1e3) + " k";
  return fmt.format(n);
}

function bytes(n) {
  if (n >= 1 << 30) return fmt.format(n / (1 << 30)) + " GiB";
  if (n >= 1 << 20) return fmt.format(n / (1 << 20)) + " MiB";
  if (n >= 1 << 10) return fmt.format(n / (1 << 10)) + " KiB";
  return fmt.format(n) + " B";
}

function set(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

/** One or two series as SVG paths in a 300x48 box; the first is filled beneath. */
function spark(id, ...series) {
  const svg = document.getElementById(id);
  if (!svg) return;
  const max = Math.max(1, ...series.flat());
  const n = Math.max(2, series[0].length);
  const x = (i) => (i * 300) / (n - 1);
  const y = (v) => 46 - (v / max) * 42;
  const line = (s) => s.map((v, i) => (i ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1)).join(" ");
  let html = "";
  if (series[0].length > 1) {
    html += `<path class="area" d="${line(series[0])} L${x(series[0].length - 1).toFixed(1)} 48 L0 48 Z"/>`;
    html += `<path class="line" d="${line(series[0])}"/>`;
  }
  if (series[1] && series[1].length > 1) html += `<path class="line2" d="${line(series[1])}"/>`;
  svg.innerHTML = html;
}

export function render(samples) {
  if (!samples.length) return;
  const last = samples[samples.length - 1];
  const col = (k) => samples.map((s) => s[k] ?? 0);
  set("connections", human(last.connections));
  set("connections-sub", "hub sessions " + human(last.hubSessions));
  spark("connections-chart", col("connections"));
  set("messages", human(last.messagesIn) + " / " + human(last.messagesOut));
  spark("messages-chart", col("messagesIn"), col("messagesOut"));
  set("bytes", bytes(last.bytesIn) + " / " + bytes(last.bytesOut));
  spark("bytes-chart", col("bytesIn"), col("bytesOut"));
  set("publications", human(last.publications));
  set("deliveries", "deliveries " + human(last.deliveries) + " / s");
  spark("publications-chart", col("publications"), col("deliveries"));
  set("channels", human(last.channels));
  spark("channels-chart", col("channels"));
  set("recoveries", human(last.recoveries));
  set("recovery-failures", human(last.recoveryFailures));
  set("slow-consumers", human(last.slowConsumers));
  set("abnormal-closes", human(last.abnormalCloses));
  const table = document.getElementById("rejections");
  const entries = Object.entries(last.rejections || {});
  table.innerHTML = entries.length
    ? entries.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${human(v)}</td></tr>`).join("")
    : `<tr><td class="empty">none</td><td></td></tr>`;
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
