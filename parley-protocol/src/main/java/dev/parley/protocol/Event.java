package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What travels over a WebSocket, in either direction: a {@code Connection} yields these from
 * received bytes and turns them into bytes to send. The same record types serve both directions,
 * as in the browser's model, except {@link Failure}, which is only ever received.
 *
 * <p>Data messages arrive whole by default. A connection configured for streaming yields a message
 * as several {@link Text} or {@link Binary} events, the last with {@code last == true}; likewise a
 * sender may pass {@code last == false} to send a message in pieces.
 *
 * <p>Buffers in events are owned by whoever holds the event; the connection never touches a
 * buffer again after yielding it, and reads (without consuming) a buffer it is given to send.
 */
public sealed interface Event {

    /** A text message, or one piece of it when {@code last} is false. */
    record Text(String text, boolean last) implements Event {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        /** A whole text message. */
        public Text(String text) {
            this(text, true);
        }
    }

    /** A binary message, or one piece of it when {@code last} is false. */
    record Binary(ByteBuffer data, boolean last) implements Event {
        public Binary {
            Objects.requireNonNull(data, "data");
        }

        /** A whole binary message. */
        public Binary(ByteBuffer data) {
            this(data, true);
        }

        /** A whole binary message wrapping the array. */
        public Binary(byte[] data) {
            this(ByteBuffer.wrap(data), true);
        }
    }

    /** A ping (RFC 6455 §5.5.2); at most 125 bytes of application data. */
    record Ping(ByteBuffer data) implements Event {
        public Ping {
            Objects.requireNonNull(data, "data");
        }
    }

    /** A pong (RFC 6455 §5.5.3); at most 125 bytes of application data. */
    record Pong(ByteBuffer data) implements Event {
        public Pong {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A close frame (RFC 6455 §5.5.1). Received without a code, it is reported as {@link
     * CloseStatus#NO_STATUS_RECEIVED}; sent with that status, the frame carries no code.
     */
    record Close(CloseStatus status, String reason) implements Event {
        public Close {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }

        /** A close with a status and no reason. */
        public Close(CloseStatus status) {
            this(status, "");
        }
    }

    /**
     * The peer broke the protocol (RFC 6455 §7.1.7, "Fail the WebSocket Connection"). The
     * connection has queued a close frame with {@link #status()} and refuses further input; the
     * transport should be closed once that frame is written. Never sent.
     */
    record Failure(ProtocolViolation violation, String message) implements Event {
        public Failure {
            Objects.requireNonNull(violation, "violation");
            Objects.requireNonNull(message, "message");
        }

        /** The status of the close frame that was queued. */
        public CloseStatus status() {
            return violation.closeStatus();
        }
    }
}
