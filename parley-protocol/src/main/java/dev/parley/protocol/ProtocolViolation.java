package dev.parley.protocol;

/**
 * One constant per rule a peer can break, each knowing the close status it earns (RFC 6455 §7.4.1)
 * and a sentence saying what was wrong. A {@link ProtocolException} carries one of these together
 * with the details of the case at hand (the offending value, the size and the limit).
 */
public enum ProtocolViolation {
    /** RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved. */
    RESERVED_OPCODE(CloseStatus.PROTOCOL_ERROR, "reserved opcode"),
    /** RFC 6455 §5.2: RSV1-3 must be 0 unless an extension defining them was negotiated. */
    RESERVED_BITS(CloseStatus.PROTOCOL_ERROR, "reserved bits set without a negotiated extension"),
    /** RFC 6455 §5.1: every frame from a client must be masked. */
    UNMASKED_CLIENT_FRAME(CloseStatus.PROTOCOL_ERROR, "frame from client is not masked"),
    /** RFC 6455 §5.1: a server must not mask any frame. */
    MASKED_SERVER_FRAME(CloseStatus.PROTOCOL_ERROR, "frame from server is masked"),
    /** RFC 6455 §5.2: the most significant bit of a 64-bit length must be 0. */
    LENGTH_TOP_BIT_SET(CloseStatus.PROTOCOL_ERROR, "64-bit payload length has its most significant bit set"),
    /** RFC 6455 §5.2: the minimal number of bytes must be used to encode the length. */
    NON_MINIMAL_LENGTH(CloseStatus.PROTOCOL_ERROR, "payload length not in its minimal encoding"),
    /** RFC 6455 §5.5: control frames carry at most 125 bytes. */
    CONTROL_FRAME_TOO_LONG(CloseStatus.PROTOCOL_ERROR, "control frame payload longer than 125 bytes"),
    /** RFC 6455 §5.5: control frames must not be fragmented. */
    FRAGMENTED_CONTROL_FRAME(CloseStatus.PROTOCOL_ERROR, "control frame is fragmented"),
    /** RFC 6455 §5.4: a continuation frame needs a message in progress. */
    UNEXPECTED_CONTINUATION(CloseStatus.PROTOCOL_ERROR, "continuation frame without a message in progress"),
    /** RFC 6455 §5.4: the fragments of one message must not be interleaved with another message. */
    EXPECTED_CONTINUATION(CloseStatus.PROTOCOL_ERROR, "new data frame inside a fragmented message"),
    /** RFC 6455 §5.5.1: a close payload is empty or at least two bytes long. */
    CLOSE_PAYLOAD_TOO_SHORT(CloseStatus.PROTOCOL_ERROR, "close frame payload of one byte"),
    /** RFC 6455 §7.4: the close code must be one that may be sent. */
    INVALID_CLOSE_CODE(CloseStatus.PROTOCOL_ERROR, "invalid close code"),
    /** RFC 6455 §8.1: text messages and close reasons must be valid UTF-8. */
    INVALID_UTF8(CloseStatus.INVALID_PAYLOAD, "invalid UTF-8"),
    /** RFC 7692 §6.2: the compressed payload is not a valid DEFLATE stream. */
    INVALID_COMPRESSED_DATA(CloseStatus.INVALID_PAYLOAD, "invalid compressed data"),
    /** A data frame declared more than {@link Limits#maxFramePayload()}. */
    FRAME_TOO_BIG(CloseStatus.MESSAGE_TOO_BIG, "frame too big"),
    /** A message exceeded {@link Limits#maxMessageSize()}, before or after decompression. */
    MESSAGE_TOO_BIG(CloseStatus.MESSAGE_TOO_BIG, "message too big"),
    /** A message was split into more than {@link Limits#maxFragments()} frames. */
    TOO_MANY_FRAGMENTS(CloseStatus.MESSAGE_TOO_BIG, "message split into too many frames");

    private final CloseStatus closeStatus;
    private final String description;

    ProtocolViolation(CloseStatus closeStatus, String description) {
        this.closeStatus = closeStatus;
        this.description = description;
    }

    /** The status to close the connection with. */
    public CloseStatus closeStatus() {
        return closeStatus;
    }

    /** What the rule forbids, as a sentence fragment. */
    public String description() {
        return description;
    }
}
