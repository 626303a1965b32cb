// Test doubles for the client's two outside dependencies: a transport whose "server" the test
// drives message by message, and timers the test moves by hand.

export class FakeTimers {
  constructor() {
    this.now = 0;
    this.nextId = 1;
    this.queue = new Map();
  }
  setTimeout = (fn, ms) => {
    const id = this.nextId++;
    this.queue.set(id, { at: this.now + ms, fn });
    return id;
  };
  clearTimeout = (id) => {
    this.queue.delete(id);
  };
  /** Moves time forward, running what falls due, in order. */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      let next = null;
      for (const [id, t] of this.queue) if (t.at <= end && (!next || t.at < next[1].at)) next = [id, t];
      if (!next) break;
      this.queue.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
  /** The delay of the one pending timer that is not the dead-connection watch (for assertions). */
  pending() {
    return [...this.queue.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }
}

/** Connections made by the client; the test plays the server on the newest one. */
export class FakeNetwork {
  constructor() {
    this.connections = [];
  }
  factory = (url, events) => {
    const c = { url, events, sent: [], closed: null };
    c.send = (text) => c.sent.push(JSON.parse(text));
    c.close = (code, reason) => {
      c.closed = { code, reason };
    };
    this.connections.push(c);
    return c;
  };
  get last() {
    return this.connections[this.connections.length - 1];
  }
  /** Opens the newest connection and answers its connect with `connected` (plus extra members). */
  accept(extra = {}) {
    const c = this.last;
    c.events.onOpen();
    const connect = c.sent.find((m) => m.type === "connect");
    c.events.onMessage(JSON.stringify({ type: "connected", id: connect.id, version: 1, client: "c" + this.connections.length, user: "", ping: 25000, pong: 10000, ...extra }));
    return connect;
  }
  push(message) {
    this.last.events.onMessage(JSON.stringify(message));
  }
}

export const flush = () => new Promise((r) => setImmediate(r));
