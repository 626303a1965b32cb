package dev.parley.hub.transport;

import java.util.Objects;
import java.util.function.Function;

/**
 * One message from the hub to clients, serialised once. A publication fanned out to ten thousand
 * subscribers is one {@code OutboundMessage}; each transport can cache its own encoding of it (a
 * WebSocket frame, an SSE event) so that the work is done once per message, not once per client.
 * Thread-safe.
 */
public final class OutboundMessage {
    private final String text;
    private volatile Object encoded;

    public OutboundMessage(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** The message as JSON text. */
    public String text() {
        return text;
    }

    /**
     * This message in a transport's form, made by {@code encoder} on first use and cached. Two
     * threads may both encode on a race; either result is kept. One form is cached at a time.
     */
    public <T> T encoded(Class<T> type, Function<String, T> encoder) {
        Object current = encoded;
        if (type.isInstance(current)) {
            return type.cast(current);
        }
        T made = encoder.apply(text);
        encoded = made;
        return made;
    }

    @Override
    public String toString() {
        return text;
    }
}
