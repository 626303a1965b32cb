package dev.parley.hub.internal;

import dev.parley.hub.transport.TransportListener;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The hub on a WebSocket route: each session becomes a hub session over a
 * {@link WebSocketTransport}. Text frames carry commands; a binary frame is not part of protocol
 * version 1 and closes the connection with 1003 (RFC 6455 §7.4.1: a type of data it cannot
 * accept).
 */
public final class HubWebSocketHandler implements WebSocketHandler {
    private static final System.Logger LOG = System.getLogger("dev.parley.hub.websocket");
    private static final String LISTENER = "dev.parley.hub.listener";

    private final HubCore core;

    public HubWebSocketHandler(HubCore core) {
        this.core = core;
    }

    @Override
    public void onOpen(WebSocketSession session) {
        session.attribute(LISTENER, core.open(new WebSocketTransport(session)));
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        TransportListener listener = session.attribute(LISTENER);
        if (listener != null) {
            listener.onMessage(text);
        }
    }

    @Override
    public void onBinary(WebSocketSession session, ByteBuffer data) {
        LOG.log(
                Level.INFO,
                () -> "hub session from " + session.remoteAddress() + " sent a binary frame; closing with 1003");
        session.close(1003, "the hub protocol is text");
    }

    @Override
    public void onClose(WebSocketSession session, int code, String reason, boolean clean) {
        TransportListener listener = session.attribute(LISTENER);
        if (listener != null) {
            listener.onClose(code, reason);
        }
    }
}
