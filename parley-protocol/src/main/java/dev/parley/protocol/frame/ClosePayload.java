package dev.parley.protocol.frame;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame (RFC 6455 §5.5.1): empty, or a 2-byte status code followed by a UTF-8
 * reason. One validity rule for codes, {@link CloseStatus#isValidOnWire(int)}, serves both
 * directions. Stateless.
 */
public final class ClosePayload {
    /** A close frame carries at most 125 bytes, two of which are the code. */
    public static final int MAX_REASON_BYTES = FrameBits.MAX_CONTROL_PAYLOAD - 2;

    private ClosePayload() {}

    /**
     * Parses a received close payload, between the buffer's position and limit (not moved).
     * An empty payload is reported as {@link CloseStatus#NO_STATUS_RECEIVED}.
     *
     * @throws ProtocolException a one-byte payload, a code that may not be sent (§7.4), or a reason
     *     that is not valid UTF-8 (§5.5.1, §8.1)
     */
    public static Event.Close parse(ByteBuffer payload) throws ProtocolException {
        int length = payload.remaining();
        if (length == 0) {
            return new Event.Close(CloseStatus.NO_STATUS_RECEIVED, "");
        }
        if (length == 1) {
            throw new ProtocolException(ProtocolViolation.CLOSE_PAYLOAD_TOO_SHORT);
        }
        int at = payload.position();
        int code = (payload.get(at) & 0xFF) << 8 | (payload.get(at + 1) & 0xFF);
        if (!CloseStatus.isValidOnWire(code)) {
            throw new ProtocolException(ProtocolViolation.INVALID_CLOSE_CODE, Integer.toString(code));
        }
        byte[] reason = new byte[length - 2];
        payload.get(at + 2, reason);
        if (!Utf8Validator.isValid(reason, 0, reason.length)) {
            throw new ProtocolException(ProtocolViolation.INVALID_UTF8, "in close reason");
        }
        return new Event.Close(CloseStatus.of(code), new String(reason, StandardCharsets.UTF_8));
    }

    /**
     * Builds the payload for a close this endpoint sends. {@link CloseStatus#NO_STATUS_RECEIVED}
     * stands for "no code" and gives an empty payload.
     *
     * @throws IllegalArgumentException a code that may not be sent (1005 with a reason, 1006, 1015,
     *     reserved or unassigned codes), or a reason longer than 123 bytes of UTF-8 or containing
     *     an unpaired surrogate
     */
    public static ByteBuffer build(CloseStatus status, String reason) {
        if (status.equals(CloseStatus.NO_STATUS_RECEIVED)) {
            if (!reason.isEmpty()) {
                throw new IllegalArgumentException("a close without a status code cannot carry a reason");
            }
            return ByteBuffer.allocate(0);
        }
        if (!status.isValidOnWire()) {
            throw new IllegalArgumentException("close code " + status + " may not be sent (RFC 6455 §7.4)");
        }
        byte[] text = TextEncoding.encode(reason);
        if (text.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "close reason is " + text.length + " bytes of UTF-8, more than " + MAX_REASON_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(2 + text.length);
        out.put((byte) (status.code() >>> 8)).put((byte) status.code()).put(text);
        return out.flip();
    }

    /**
     * A reason cut to fit a close frame, at a code point boundary, for reasons made from messages
     * that may be long (such as a protocol error's description).
     */
    public static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // do not cut inside a multi-byte sequence
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
