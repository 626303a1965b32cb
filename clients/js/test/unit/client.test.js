import { test } from "node:test";
import assert from "node:assert/strict";
import { HubClient, HubError, State } from "../../src/index.js";
import { FakeNetwork, FakeTimers, flush } from "./fakes.js";

function setup(options = {}) {
  const net = new FakeNetwork();
  const timers = new FakeTimers();
  const client = new HubClient("ws://hub.test/hub", { transport: net.factory, timers, random: () => 0.5, environment: null, ...options });
  const states = [];
  client.on("state", (s) => states.push(s));
  return { net, timers, client, states };
}

test("connect sends the client's name and resolves on connected", async () => {
  const { net, client, states } = setup({ token: "secret", name: "test", version: "9" });
  const connected = client.connect();
  const connect = net.accept();
  await connected;
  assert.equal(connect.version, 1);
  assert.equal(connect.token, "secret");
  assert.deepEqual(connect.client, { name: "test", version: "9" });
  assert.deepEqual(states.map((s) => s.state), [State.CONNECTING, State.CONNECTED]);
  assert.equal(client.clientId, "c1");
});

test("publish resolves with the ack and keeps the mid for a retry", async () => {
  const { net, client } = setup();
  client.connect();
  net.accept();
  const acked = client.publish("chat:a", { text: "hi" });
  const sent = net.last.sent.find((m) => m.type === "publish");
  assert.deepEqual(sent.data, { text: "hi" });
  assert.match(sent.mid, /^[a-z0-9]+-1$/);
  net.push({ type: "ack", id: sent.id, channel: "chat:a", mid: sent.mid, offset: 7, epoch: "E" });
  assert.deepEqual(await acked, { channel: "chat:a", offset: 7, epoch: "E", duplicate: false });
  assert.equal(client.pending().length, 0);
});

test("publishes made offline wait in the outbox and go out with their ids after reconnecting", async () => {
  const { net, timers, client, states } = setup();
  client.connect();
  net.accept();
  const first = client.publish("chat:a", 1);
  const firstMid = net.last.sent.find((m) => m.type === "publish").mid;
  net.last.events.onClose(1006, "lost");
  const second = client.publish("chat:a", 2);
  assert.deepEqual(client.pending().map((p) => p.data), [1, 2]);
  const reconnecting = states.at(-1);
  assert.equal(reconnecting.state, State.RECONNECTING);
  assert.equal(reconnecting.delay, 125); // full jitter: half (random 0.5) of the first ceiling, 250 ms
  timers.advance(125);
  net.accept();
  const resent = net.last.sent.filter((m) => m.type === "publish");
  assert.deepEqual(resent.map((m) => m.data), [1, 2]);
  assert.equal(resent[0].mid, firstMid);
  for (const m of resent) net.push({ type: "ack", id: m.id, channel: "chat:a", mid: m.mid, offset: m.data, epoch: "E", duplicate: m.data === 1 });
  assert.equal((await first).duplicate, true);
  assert.equal((await second).offset, 2);
});

test("resubscribes with the last position and drops what it already delivered", async () => {
  const { net, timers, client } = setup();
  const got = [];
  const subscribed = [];
  client.subscribe("chat:a", { publication: (p) => got.push(p.offset), subscribed: (s) => subscribed.push(s) });
  client.connect();
  const connect = net.accept({ subscriptions: [{ channel: "chat:a", epoch: "E", offset: 3, recoverable: true }] });
  assert.deepEqual(connect.subscriptions, [{ channel: "chat:a" }]);
  net.push({ type: "pub", channel: "chat:a", offset: 4, data: "d4" });
  net.push({ type: "pub", channel: "chat:a", offset: 4, data: "d4" }); // again: dropped
  net.last.events.onClose(1006, "lost");
  timers.advance(1000);
  const again = net.accept({
    subscriptions: [{ channel: "chat:a", epoch: "E", offset: 6, recoverable: true, recovered: true, publications: [{ offset: 5, data: "d5" }, { offset: 6, data: "d6" }] }],
  });
  assert.deepEqual(again.subscriptions, [{ channel: "chat:a", offset: 4, epoch: "E" }]);
  net.push({ type: "pub", channel: "chat:a", offset: 6, data: "d6" }); // already replayed
  net.push({ type: "pub", channel: "chat:a", offset: 7, data: "d7" });
  assert.deepEqual(got, [4, 5, 6, 7]);
  assert.deepEqual(subscribed, [{ recovered: true, reason: "" }, { recovered: true, reason: "" }]);
});

test("a failed recovery is reported so the application can reload", async () => {
  const { net, timers, client } = setup();
  const subscribed = [];
  client.subscribe("chat:a", { subscribed: (s) => subscribed.push(s) });
  client.connect();
  net.accept({ subscriptions: [{ channel: "chat:a", epoch: "E", offset: 3 }] });
  net.last.events.onClose(1006, "lost");
  timers.advance(1000);
  net.accept({ subscriptions: [{ channel: "chat:a", epoch: "F", offset: 1, recovered: false, reason: "epoch_changed" }] });
  assert.deepEqual(subscribed.at(-1), { recovered: false, reason: "epoch_changed" });
});

test("a gap in offsets drops the connection to recover", async () => {
  const { net, client, states } = setup();
  client.subscribe("chat:a", {});
  client.connect();
  net.accept({ subscriptions: [{ channel: "chat:a", epoch: "E", offset: 3 }] });
  net.push({ type: "pub", channel: "chat:a", offset: 5, data: 0 });
  const lost = states.find((s) => s.state === State.DISCONNECTED);
  assert.match(lost.reason, /offset 5 after 3/);
  assert.equal(net.connections[0].closed.code, 4000);
});

test("answers the server's ping, and takes a silent server for dead", async () => {
  const { net, timers, client, states } = setup();
  client.connect();
  net.accept({ ping: 1000, pong: 500 });
  net.push({ type: "ping" });
  assert.deepEqual(net.last.sent.at(-1), { type: "pong" });
  timers.advance(1499);
  assert.equal(client.state, State.CONNECTED);
  timers.advance(1);
  assert.equal(states.find((s) => s.state === State.DISCONNECTED).reason, "nothing from the server for 1500 ms");
});

test("honours the server's delay, and stops for codes 3500-3999", async () => {
  const { net, timers, client, states } = setup();
  client.connect();
  net.accept();
  net.push({ type: "disconnect", code: 3000, reason: "server shutting down", reconnect: true, delay: 2750 });
  net.last.events.onClose(3000, "server shutting down");
  assert.equal(states.at(-1).delay, 2750);
  timers.advance(2750);
  net.accept();
  const pub = client.publish("chat:a", 1);
  net.push({ type: "disconnect", code: 3500, reason: "bad token", reconnect: false });
  net.last.events.onClose(3500, "bad token");
  assert.equal(client.state, State.CLOSED);
  await assert.rejects(pub, /closed \(3500 bad token\)/);
  assert.equal(timers.pending().length, 0);
});

test("a refused publish rejects with the server's error code", async () => {
  const { net, client } = setup();
  client.connect();
  net.accept();
  const p = client.publish("news", 1);
  const sent = net.last.sent.at(-1);
  net.push({ type: "error", id: sent.id, code: 107, error: "permission_denied", message: "no" });
  await assert.rejects(p, (e) => e instanceof HubError && e.code === 107);
  assert.equal(client.pending().length, 0);
});

test("reconnects at once when the browser comes back online", async () => {
  const listeners = {};
  const environment = { addEventListener: (n, f) => (listeners[n] = f), removeEventListener() {}, document: null };
  const { net, client } = setup({ environment });
  client.connect();
  net.accept();
  net.last.events.onClose(1006, "lost");
  assert.equal(client.state, State.RECONNECTING);
  listeners.online();
  assert.equal(client.state, State.CONNECTING);
  assert.equal(net.connections.length, 2);
});

test("the outbox is bounded", async () => {
  const { client } = setup({ outboxLimit: 2 });
  client.publish("a", 1);
  client.publish("a", 2);
  await assert.rejects(client.publish("a", 3), /outbox holds 2/);
  await flush();
});

test("reconnects at once when the page becomes visible again", async () => {
  const docListeners = {};
  const document = { visibilityState: "hidden", addEventListener: (n, f) => (docListeners[n] = f), removeEventListener() {} };
  const environment = { addEventListener() {}, removeEventListener() {}, document };
  const { net, client } = setup({ environment });
  client.connect();
  net.accept();
  net.last.events.onClose(1006, "lost");
  docListeners.visibilitychange(); // still hidden: keeps waiting
  assert.equal(client.state, State.RECONNECTING);
  document.visibilityState = "visible";
  docListeners.visibilitychange();
  assert.equal(client.state, State.CONNECTING);
  assert.equal(net.connections.length, 2);
});
