// The Parley hub client for browsers and Node: the same model and reliability as the Java client.
// Protocol: docs/PROTOCOL.md.

import { Backoff } from "./backoff.js";
import { ErrorCode, HubError, State, shouldReconnect } from "./codes.js";
import { webSocketTransport } from "./transport.js";

/**
 * A connection to a Parley hub that survives the network.
 *
 * - Reconnects by itself with exponential backoff and full jitter (or after the delay the server
 *   gave), at once when the browser comes back online or the page becomes visible again.
 * - Resubscribes every channel with the last position it delivered; the server replays what was
 *   missed, in order, before anything newer. Nothing reaches a handler twice.
 * - Keeps unacknowledged publishes in an outbox and resends them with their original ids, so the
 *   server delivers each once even when an ack was lost.
 * - Takes a server that says nothing for its ping interval plus pong timeout for dead.
 *
 * Events (`client.on(name, fn)`): "state" ({state, code, reason, delay}), "error" (Error).
 */
export class HubClient {
  /**
   * @param {string} url ws:// or wss:// address of the hub, e.g. "ws://localhost:8080/hub"
   * @param {object} [options]
   * @param {string} [options.token] credentials for the server's connect hook
   * @param {string} [options.name] client name shown in presence ("parley-js")
   * @param {string} [options.version] client version ("0.1.0")
   * @param {number} [options.backoffMin] first reconnect ceiling, ms (250)
   * @param {number} [options.backoffMax] largest reconnect ceiling, ms (20000)
   * @param {number} [options.outboxLimit] unacknowledged publishes kept (10000)
   * @param {number} [options.requestTimeout] ms to wait for presence/history/ping replies (10000)
   * @param {Function} [options.transport] a transport factory (default: WebSocket)
   * @param {() => number} [options.random] jitter source in [0, 1) (Math.random)
   * @param {object} [options.timers] {setTimeout, clearTimeout} (the global ones)
   * @param {object} [options.environment] where "online" and "visibilitychange" are heard (window)
   */
  constructor(url, options = {}) {
    this.url = url;
    this.options = options;
    this.token = options.token ?? "";
    this.clientName = options.name ?? "parley-js";
    this.clientVersion = options.version ?? "0.1.0";
    this.outboxLimit = options.outboxLimit ?? 10000;
    this.requestTimeout = options.requestTimeout ?? 10000;
    this.backoff = new Backoff(options.backoffMin ?? 250, options.backoffMax ?? 20000, options.random);
    this.transportFactory = options.transport ?? webSocketTransport();
    this.timers = options.timers ?? globalThis;
    this.state = State.DISCONNECTED;
    this.clientId = "";
    this._listeners = new Map();
    this._subs = new Map();
    this._outbox = new Map();
    this._pending = new Map();
    this._nextId = 0;
    this._nextMid = 0;
    this._midPrefix = Math.random().toString(36).slice(2, 10);
    this._attempt = 0;
    this._serverDelay = -1;
    this._generation = 0;
    this._transport = null;
    this._deadTimer = null;
    this._reconnectTimer = null;
    this._ping = 0;
    this._pong = 0;
    this._started = false;
    this._firstConnect = deferred();
    const env = options.environment ?? (typeof window !== "undefined" ? window : null);
    if (env && env.addEventListener) {
      this._wake = () => this._reconnectNow();
      env.addEventListener("online", this._wake);
      const doc = env.document;
      if (doc && doc.addEventListener) {
        this._visible = () => {
          if (doc.visibilityState === "visible") this._reconnectNow();
        };
        doc.addEventListener("visibilitychange", this._visible);
      }
      this._env = env;
    }
  }

  /** Listens to "state" or "error". Returns a function that stops listening. */
  on(event, fn) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this._listeners.get(event).delete(fn);
  }

  /** Connects; resolves at the first "connected", rejects if the client closes first. */
  connect() {
    if (!this._started && this.state !== State.CLOSED) {
      this._started = true;
      this._open();
    }
    return this._firstConnect.promise;
  }

  /**
   * Subscribes to a channel, now if connected, else from the next connection; again after every
   * reconnect, recovering what was missed.
   * @param {string} channel
   * @param {{publication?: Function, subscribed?: Function, join?: Function, leave?: Function, error?: Function}} handlers
   * @returns {{channel: string, position: () => ({offset: number, epoch: string}|null), unsubscribe: () => Promise<void>}}
   */
  subscribe(channel, handlers = {}) {
    if (this._subs.has(channel)) throw new Error(`already subscribed to ${channel}`);
    const sub = { channel, handlers, epoch: null, offset: 0 };
    this._subs.set(channel, sub);
    if (this.state === State.CONNECTED) this._sendSubscribe(sub);
    return {
      channel,
      position: () => (sub.epoch === null ? null : { offset: sub.offset, epoch: sub.epoch }),
      unsubscribe: () => this._unsubscribe(sub),
    };
  }

  /**
   * Publishes one JSON-serialisable value. Resolves with {channel, offset, epoch, duplicate} once
   * the server acknowledged it; waits in the outbox while offline. Rejects when the outbox is full,
   * the client closed, or the server refused (a HubError).
   * @returns {Promise<{channel: string, offset: number, epoch: string, duplicate: boolean}>}
   */
  publish(channel, data) {
    if (this.state === State.CLOSED) return Promise.reject(new Error("the client is closed"));
    if (this._outbox.size >= this.outboxLimit) {
      return Promise.reject(new Error(`the outbox holds ${this.outboxLimit} unacknowledged publishes`));
    }
    const mid = `${this._midPrefix}-${++this._nextMid}`;
    const d = deferred();
    const item = { channel, data, mid, deferred: d };
    this._outbox.set(mid, item);
    if (this.state === State.CONNECTED) this._sendPublish(item);
    return d.promise;
  }

  /** Publishes not yet acknowledged, oldest first: [{channel, data, mid}]. */
  pending() {
    return [...this._outbox.values()].map(({ channel, data, mid }) => ({ channel, data, mid }));
  }

  /** Who is in a channel. Needs a connection. */
  async presence(channel) {
    const reply = await this._request({ type: "presence", channel });
    return reply.clients;
  }

  /** The latest `limit` publications (at most 100), oldest first: {offset, epoch, publications}. */
  async history(channel, limit = 100, since = null) {
    const command = { type: "history", channel, limit };
    if (since) command.since = since;
    const reply = await this._request(command);
    return { offset: reply.offset, epoch: reply.epoch, publications: reply.publications.map((p) => ({ channel, ...p })) };
  }

  /** The round trip to the server through the hub's own ping, in ms. Needs a connection. */
  async ping() {
    const start = now();
    await this._request({ type: "ping" });
    return now() - start;
  }

  /** Ends the client for good. */
  close() {
    if (this.state === State.CLOSED) return;
    const t = this._transport;
    this._transport = null;
    this._generation++;
    if (t) t.close(1000, "client closed");
    this._end(1000, "client closed");
    if (this._env) {
      this._env.removeEventListener("online", this._wake);
      this._env.document?.removeEventListener?.("visibilitychange", this._visible);
    }
  }

  // ---- connection lifecycle ---------------------------------------------------------------

  _open() {
    this._reconnectTimer = null;
    this._setState({ state: State.CONNECTING });
    const gen = ++this._generation;
    const guard = (fn) => (...args) => {
      if (gen === this._generation) fn(...args);
    };
    this._transport = this.transportFactory(this.url, {
      onOpen: guard(() => this._sendConnect()),
      onMessage: guard((text) => this._receive(text)),
      onClose: guard((code, reason) => this._lost(code, reason)),
    });
    this._armDead(this.requestTimeout); // a handshake or connect that never completes
  }

  _sendConnect() {
    const subscriptions = [...this._subs.values()].map((s) =>
      s.epoch === null ? { channel: s.channel } : { channel: s.channel, offset: s.offset, epoch: s.epoch },
    );
    this._inConnect = new Set(this._subs.keys());
    const id = ++this._nextId;
    this._pending.set(id, { type: "connect" });
    const command = { type: "connect", id, version: 1, client: { name: this.clientName, version: this.clientVersion } };
    if (this.token) command.token = this.token;
    if (subscriptions.length) command.subscriptions = subscriptions;
    this._send(command);
  }

  _lost(code, reason) {
    if (this.state === State.CLOSED) return;
    this._transport = null;
    this._generation++;
    this._clear(this._deadTimer);
    for (const p of this._pending.values()) {
      if (p.deferred) p.deferred.reject(new Error(`connection lost (${code})`));
    }
    this._pending.clear();
    this._setState({ state: State.DISCONNECTED, code, reason });
    if (!shouldReconnect(code)) {
      this._end(code, reason);
      return;
    }
    const delay = this._serverDelay >= 0 ? this._serverDelay : this.backoff.delay(this._attempt);
    this._attempt++;
    this._serverDelay = -1;
    this._setState({ state: State.RECONNECTING, delay });
    this._reconnectTimer = this.timers.setTimeout(() => this._open(), delay);
  }

  /** The network came back, or the page became visible: skip the rest of the wait. */
  _reconnectNow() {
    if (this.state === State.RECONNECTING && this._reconnectTimer !== null) {
      this._clear(this._reconnectTimer);
      this._attempt = 0;
      this._open();
    }
  }

  _end(code, reason) {
    this._clear(this._deadTimer);
    this._clear(this._reconnectTimer);
    const why = new Error(`the client is closed (${code}${reason ? " " + reason : ""})`);
    for (const item of this._outbox.values()) item.deferred.reject(why);
    this._outbox.clear();
    for (const p of this._pending.values()) p.deferred?.reject(why);
    this._pending.clear();
    this._firstConnect.reject(why);
    this._firstConnect.promise.catch(() => {});
    this._setState({ state: State.CLOSED, code, reason });
  }

  _drop(reason) {
    const t = this._transport;
    this._transport = null;
    this._generation++;
    if (t) t.close(4000, reason); // its close event is for an old generation: ignored
    this._lost(1006, reason);
  }

  _armDead(ms) {
    this._clear(this._deadTimer);
    const gen = this._generation;
    this._deadTimer = this.timers.setTimeout(() => {
      if (gen === this._generation && this.state !== State.CLOSED) this._drop(`nothing from the server for ${ms} ms`);
    }, ms);
  }

  // ---- messages from the server ---------------------------------------------------------------

  _receive(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch {
      this._drop("the server sent something that is not JSON");
      return;
    }
    if (this._ping > 0) this._armDead(this._ping + this._pong);
    const p = m.id !== undefined ? this._pending.get(m.id) : undefined;
    if (p) this._pending.delete(m.id);
    switch (m.type) {
      case "connected":
        this._connected(m);
        break;
      case "subscribed":
        this._subscribed(m);
        break;
      case "pub": {
        const sub = this._subs.get(m.channel);
        if (sub) this._deliver(sub, m);
        break;
      }
      case "ack": {
        const item = this._outbox.get(m.mid);
        if (item) {
          this._outbox.delete(m.mid);
          item.deferred.resolve({ channel: item.channel, offset: m.offset, epoch: m.epoch, duplicate: !!m.duplicate });
        }
        break;
      }
      case "join":
      case "leave": {
        const sub = this._subs.get(m.channel);
        if (sub) this._call(sub.handlers[m.type], m.info);
        break;
      }
      case "ping":
        if (!p) this._send({ type: "pong" });
        break;
      case "disconnect":
        this._serverDelay = shouldReconnect(m.code) && m.delay > 0 ? m.delay : -1;
        break;
      case "error":
        this._failed(p, m);
        return;
      default:
        break;
    }
    if (p && p.deferred) p.deferred.resolve(m);
  }

  _connected(m) {
    this.clientId = m.client;
    this._ping = m.ping || 0;
    this._pong = m.pong || 0;
    if (this._ping > 0) this._armDead(this._ping + this._pong);
    else this._clear(this._deadTimer);
    this._attempt = 0;
    this._setState({ state: State.CONNECTED });
    for (const s of m.subscriptions || []) this._subscribed(s);
    for (const sub of this._subs.values()) {
      if (!this._inConnect.has(sub.channel)) this._sendSubscribe(sub); // subscribed while connecting
    }
    for (const item of this._outbox.values()) this._sendPublish(item);
    this._firstConnect.resolve();
  }

  _subscribed(m) {
    const sub = this._subs.get(m.channel);
    if (!sub) return;
    if (m.error) {
      this._subs.delete(m.channel);
      this._call(sub.handlers.error, new HubError(m.error.code, m.error.error, m.error.message));
      return;
    }
    const asked = "recovered" in m;
    if (asked && m.recovered) {
      for (const p of m.publications || []) this._deliver(sub, { channel: sub.channel, ...p });
    }
    sub.epoch = m.epoch;
    sub.offset = m.offset;
    this._call(sub.handlers.subscribed, { recovered: !asked || m.recovered, reason: m.reason || "" });
  }

  _deliver(sub, p) {
    if (sub.epoch === null || p.offset <= sub.offset) return;
    if (p.offset !== sub.offset + 1) {
      this._drop(`offset ${p.offset} after ${sub.offset} in ${sub.channel}`);
      return;
    }
    sub.offset = p.offset;
    this._call(sub.handlers.publication, { channel: sub.channel, offset: p.offset, data: p.data, info: p.info ?? null, mid: p.mid ?? null });
  }

  _failed(p, m) {
    const error = new HubError(m.code, m.error, m.message);
    if (!p) {
      this._emit("error", error);
      return;
    }
    if (p.type === "publish") {
      const item = this._outbox.get(p.mid);
      if (item) {
        this._outbox.delete(p.mid);
        item.deferred.reject(error);
      }
    } else if (p.type === "subscribe") {
      const sub = this._subs.get(p.channel);
      if (sub) {
        this._subs.delete(p.channel);
        this._call(sub.handlers.error, error);
      }
    } else if (p.deferred) {
      p.deferred.reject(error);
    }
  }

  // ---- commands -------------------------------------------------------------------------------

  _sendSubscribe(sub) {
    const id = ++this._nextId;
    this._pending.set(id, { type: "subscribe", channel: sub.channel });
    const command = { type: "subscribe", id, channel: sub.channel };
    if (sub.epoch !== null) command.recover = { offset: sub.offset, epoch: sub.epoch };
    this._send(command);
  }

  _sendPublish(item) {
    const id = ++this._nextId;
    this._pending.set(id, { type: "publish", mid: item.mid });
    this._send({ type: "publish", id, channel: item.channel, mid: item.mid, data: item.data });
  }

  async _unsubscribe(sub) {
    if (this._subs.get(sub.channel) !== sub) return;
    this._subs.delete(sub.channel);
    if (this.state === State.CONNECTED) {
      try {
        await this._request({ type: "unsubscribe", channel: sub.channel });
      } catch (e) {
        if (!(e instanceof HubError && e.code === ErrorCode.NOT_SUBSCRIBED)) throw e;
      }
    }
  }

  _request(command) {
    if (this.state !== State.CONNECTED) return Promise.reject(new Error(`not connected (${this.state})`));
    const id = ++this._nextId;
    const d = deferred();
    this._pending.set(id, { type: command.type, deferred: d });
    const timer = this.timers.setTimeout(() => {
      if (this._pending.delete(id)) d.reject(new Error(`no reply within ${this.requestTimeout} ms`));
    }, this.requestTimeout);
    d.promise.then(
      () => this._clear(timer),
      () => this._clear(timer),
    );
    this._send({ ...command, id });
    return d.promise;
  }

  _send(message) {
    if (this._transport) this._transport.send(JSON.stringify(message));
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  _setState(change) {
    this.state = change.state;
    this._emit("state", { code: 0, reason: "", delay: 0, ...change });
  }

  _emit(event, value) {
    for (const fn of this._listeners.get(event) ?? []) this._call(fn, value);
  }

  _call(fn, value) {
    if (!fn) return;
    try {
      fn(value);
    } catch (e) {
      if (typeof console !== "undefined") console.error("parley: a handler threw", e);
    }
  }

  _clear(timer) {
    if (timer !== null && timer !== undefined) this.timers.clearTimeout(timer);
  }
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function now() {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
