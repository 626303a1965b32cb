package dev.parley.websocket;

/**
 * A WebSocket failure reported to {@link WebSocketHandler#onError}: the peer broke the protocol,
 * exceeded a limit, or a handshake failed. {@link #closeCode()} is the close code the session was
 * closed with (or 1006 when no close frame could be exchanged).
 */
public class WebSocketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public WebSocketException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** The close code of the failure. */
    public int closeCode() {
        return closeCode;
    }
}
