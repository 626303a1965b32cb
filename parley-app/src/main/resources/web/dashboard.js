// The dashboard: subscribes to the hub channel parley:stats with the browser client, fills its
// charts from the channel's history (five minutes of samples), then adds each sample pushed.
import { HubClient, State } from "/client/index.js";
import { render } from "/dashboard-view.js";

const MAX = 300;
const samples = [];
const stateEl = document.getElementById("state");

function add(list) {
  for (const s of list) {
    if (samples.length && s.time <= samples[samples.length - 1].time) continue;
    samples.push(s);
  }
  while (samples.length > MAX) samples.shift();
  render(samples);
}

const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/hub";
const client = new HubClient(url, { name: "parley-dashboard", version: "0.1.0" });
client.on("state", (s) => {
  const text = s.state === State.RECONNECTING ? `reconnecting in ${Math.ceil(s.delay / 1000)} s` : s.state;
  stateEl.textContent = text;
  stateEl.className = "state " + s.state;
});
client.subscribe("parley:stats", {
  publication: (p) => add([p.data]),
  subscribed: async () => {
    try {
      const page = await client.history("parley:stats", 100);
      add(page.publications.map((p) => p.data));
    } catch {
      // offline again; the next subscription fills the gap
    }
  },
});
client.connect().catch(() => {});
