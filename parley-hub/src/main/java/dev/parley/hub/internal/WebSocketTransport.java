package dev.parley.hub.internal;

import dev.parley.hub.transport.OutboundMessage;
import dev.parley.hub.transport.Transport;
import dev.parley.websocket.PreparedMessage;
import dev.parley.websocket.SendResult;
import dev.parley.websocket.WebSocketSession;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A hub session carried by a WebSocket: one text frame per message. Messages are sent as
 * {@link PreparedMessage}s cached on the {@link OutboundMessage}, so a publication fanned out to
 * many WebSocket subscribers is framed (and compressed) once.
 */
final class WebSocketTransport implements Transport {
    private final WebSocketSession session;

    WebSocketTransport(WebSocketSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public Executor executor() {
        return session.executor();
    }

    @Override
    public boolean send(OutboundMessage message) {
        return session.send(message.encoded(PreparedMessage.class, PreparedMessage::text)) != SendResult.DROPPED;
    }

    @Override
    public long queuedBytes() {
        return session.bufferedAmount();
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return session.remoteAddress();
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(session.headers().first(name));
    }
}
