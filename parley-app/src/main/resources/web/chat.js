// The chat demo: rooms are hub channels chat:<room>; the nickname is the connect token, which the
// demo server takes as the user name (no authentication: it is a demo). Messages are
// {text, lid}; lid is this page's id for a message, so that its own echo confirms the pending copy.
import { HubClient, State } from "/client/index.js";

const $ = (id) => document.getElementById(id);
const messagesEl = $("messages");
const peopleEl = $("people");
const stateEl = $("state");
const rttEl = $("rtt");
const noticeEl = $("notice");

const hubUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/hub";
let nick = localStorage.getItem("parley.nick") || "guest-" + Math.random().toString(36).slice(2, 6);
let room = roomFromHash() || "lobby";
let client = null;
let subscription = null;
/** The room's messages by offset, and this page's pending ones by lid. */
let messages = new Map();
let pendingByLid = new Map();
let nextLid = 1;
let countdown = null;

$("room-input").value = room;
$("nick").textContent = nick;

function roomFromHash() {
  const r = decodeURIComponent(location.hash.slice(1)).toLowerCase().replace(/[^a-z0-9_-]/g, "");
  return r.slice(0, 40);
}

// ---- connection -----------------------------------------------------------------------------

function start() {
  client = new HubClient(hubUrl, { token: nick, name: "parley-chat", version: "0.1.0" });
  client.on("state", showState);
  join(room);
  client.connect().catch(() => {});
}

function showState(s) {
  clearInterval(countdown);
  let text = s.state;
  let kind = s.state;
  if (s.state === State.CONNECTED) {
    text = "connected";
    measure();
  } else if (s.state === State.RECONNECTING) {
    const until = Date.now() + s.delay;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      stateEl.textContent = navigator.onLine === false ? "offline" : `reconnecting in ${left} s`;
    };
    kind = navigator.onLine === false ? "offline" : "reconnecting";
    stateEl.dataset.state = kind;
    tick();
    countdown = setInterval(tick, 250);
    rttEl.textContent = "";
    return;
  } else if (s.state === State.DISCONNECTED) {
    text = "offline";
    kind = "offline";
    rttEl.textContent = "";
  } else if (s.state === State.CLOSED) {
    text = s.code >= 3500 ? `refused: ${s.reason}` : "closed";
  } else {
    text = "connecting…";
  }
  stateEl.textContent = text;
  stateEl.dataset.state = kind;
}

async function measure() {
  if (!client || client.state !== State.CONNECTED) return;
  try {
    const ms = await client.ping();
    rttEl.textContent = `rtt ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  } catch {
    rttEl.textContent = "";
  }
}
setInterval(measure, 5000);

// ---- rooms --------------------------------------------------------------------------------------

function join(name) {
  if (subscription) subscription.unsubscribe().catch(() => {});
  room = name;
  messages = new Map();
  render();
  people.clear();
  renderPeople();
  const channel = "chat:" + room;
  subscription = client.subscribe(channel, {
    publication: (p) => {
      messages.set(p.offset, fromPublication(p));
      confirm(p);
      render();
    },
    subscribed: ({ recovered, reason }) => {
      showNotice(recovered ? "" : "Some messages could not be recovered (" + reason.replace(/_/g, " ") + "); showing the latest.");
      loadHistory(channel, !recovered);
      loadPresence(channel);
    },
    join: (info) => {
      people.set(info.client, info);
      renderPeople();
    },
    leave: (info) => {
      people.delete(info.client);
      renderPeople();
    },
    error: (e) => showNotice("Cannot join this room: " + e.message),
  });
  document.title = `#${room} · Parley chat`;
}

async function loadHistory(channel, replace) {
  try {
    const page = await client.history(channel, 50);
    if (replace) messages = new Map();
    for (const p of page.publications) if (!messages.has(p.offset)) messages.set(p.offset, fromPublication(p));
    render();
  } catch {
    // not connected any more: the next subscription loads it again
  }
}

const people = new Map();
async function loadPresence(channel) {
  try {
    const list = await client.presence(channel);
    people.clear();
    for (const info of list) people.set(info.client, info);
    renderPeople();
  } catch {
    // as above
  }
}

function fromPublication(p) {
  const d = p.data && typeof p.data === "object" ? p.data : { text: String(p.data) };
  return { offset: p.offset, text: String(d.text ?? ""), lid: d.lid, user: p.info ? p.info.user : "server", client: p.info ? p.info.client : "" };
}

// ---- sending --------------------------------------------------------------------------------

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  const lid = `${client.clientId || "x"}-${Date.now().toString(36)}-${nextLid++}`;
  const item = { lid, text, user: nick, pending: true, failed: false };
  pendingByLid.set(lid, item);
  render();
  client.publish("chat:" + room, { text, lid }).then(
    (ack) => {
      pendingByLid.delete(lid);
      if (!messages.has(ack.offset)) messages.set(ack.offset, { offset: ack.offset, text, lid, user: nick, client: client.clientId });
      render();
    },
    (err) => {
      item.pending = false;
      item.failed = true;
      item.error = err.message;
      render();
    },
  );
});

/** A publication of our own confirms its pending copy. */
function confirm(p) {
  const lid = p.data && p.data.lid;
  if (lid && pendingByLid.has(lid)) {
    pendingByLid.delete(lid);
  }
}

$("room-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const r = $("room-input").value.toLowerCase().replace(/[^a-z0-9_-]/g, "").slice(0, 40) || "lobby";
  $("room-input").value = r;
  if (r !== room) location.hash = r;
});

window.addEventListener("hashchange", () => {
  const r = roomFromHash() || "lobby";
  $("room-input").value = r;
  if (r !== room) join(r);
});

$("nick").addEventListener("click", () => {
  const n = (prompt("Your nickname", nick) || "").trim().slice(0, 24);
  if (!n || n === nick) return;
  nick = n;
  localStorage.setItem("parley.nick", nick);
  $("nick").textContent = nick;
  // The nickname is the connection's user: reconnect as the new one; pending messages go with the old.
  const pending = [...pendingByLid.values()].filter((i) => i.pending);
  client.close();
  for (const i of pending) {
    i.pending = false;
    i.failed = true;
  }
  subscription = null;
  start();
});

// ---- rendering ----------------------------------------------------------------------------------

function render() {
  const atBottom = messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 40;
  const items = [...messages.values()].sort((a, b) => a.offset - b.offset);
  const frag = document.createDocumentFragment();
  if (!items.length && !pendingByLid.size) {
    const li = document.createElement("li");
    li.className = "system";
    li.textContent = `No messages in #${room} yet. Say hello!`;
    frag.append(li);
  }
  for (const m of items) frag.append(bubble(m, m.client === client?.clientId || m.user === nick, "sent"));
  for (const m of pendingByLid.values()) frag.append(bubble(m, true, m.failed ? "failed" : "pending"));
  messagesEl.replaceChildren(frag);
  if (atBottom) messagesEl.scrollTop = messagesEl.scrollHeight;
}

function bubble(m, mine, status) {
  const li = document.createElement("li");
  li.className = "msg" + (mine ? " mine" : "") + (status !== "sent" ? " " + status : "");
  if (m.offset) li.dataset.offset = m.offset;
  li.dataset.status = status;
  li.append(avatar(m.user));
  const b = document.createElement("div");
  b.className = "bubble";
  const who = document.createElement("div");
  who.className = "who";
  who.textContent = m.user || "anonymous";
  const text = document.createElement("div");
  text.className = "text";
  text.textContent = m.text;
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = status === "pending" ? "🕓 pending" : status === "failed" ? "not sent" : mine ? "✓ sent" : "";
  b.append(who, text);
  if (meta.textContent) b.append(meta);
  li.append(b);
  return li;
}

function avatar(name) {
  const el = document.createElement("span");
  el.className = "avatar";
  const n = name || "?";
  let h = 0;
  for (const c of n) h = (h * 31 + c.charCodeAt(0)) % 360;
  el.style.background = `hsl(${h} 55% 48%)`;
  el.textContent = n.slice(0, 1).toUpperCase();
  return el;
}

function renderPeople() {
  const list = [...people.values()].sort((a, b) => (a.user || "").localeCompare(b.user || ""));
  $("count").textContent = list.length;
  peopleEl.replaceChildren(
    ...list.map((p) => {
      const li = document.createElement("li");
      li.append(avatar(p.user), document.createTextNode((p.user || "anonymous") + (p.client === client?.clientId ? " (you)" : "")));
      return li;
    }),
  );
}

function showNotice(text) {
  noticeEl.hidden = !text;
  noticeEl.textContent = text;
}

start();
