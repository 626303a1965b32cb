// Transports carry the hub's JSON messages. Each one has the same small shape, so that the
// client does not care what carries it:
//
//   const t = factory(url, { onOpen(), onMessage(text), onClose(code, reason) });
//   t.send(text); t.close(code, reason);
//
// WebSocket is the first; server-sent events and long-polling plug in behind the same shape.

/** A transport factory over the platform's WebSocket (the browser's, or one given). */
export function webSocketTransport(WebSocketImpl = globalThis.WebSocket) {
  if (!WebSocketImpl) throw new Error("no WebSocket in this environment; pass one to webSocketTransport()");
  return (url, events) => {
    const socket = new WebSocketImpl(url);
    let closed = false;
    const closeOnce = (code, reason) => {
      if (closed) return;
      closed = true;
      events.onClose(code, reason);
    };
    socket.onopen = () => events.onOpen();
    socket.onmessage = (e) => {
      if (typeof e.data === "string") events.onMessage(e.data);
    };
    socket.onclose = (e) => closeOnce(e.code || 1006, e.reason || "");
    socket.onerror = () => {}; // onclose follows with the code
    return {
      send(text) {
        if (socket.readyState === 1) socket.send(text);
      },
      close(code = 1000, reason = "") {
        try {
          socket.close(code, reason);
        } catch {
          socket.close();
        }
        closeOnce(code, reason); // the client moves on now; the socket finishes closing on its own
      },
    };
  };
}
