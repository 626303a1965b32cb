package dev.parley.protocol.frame;

/**
 * The layout of a frame header (RFC 6455 §5.2), named after its bits.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 */
public final class FrameBits {
    private FrameBits() {}

    /** Byte 0: this frame is the last of its message. */
    public static final int B0_FLAG_FIN = 0x80;
    /** Byte 0: reserved bit 1; permessage-deflate marks a compressed message with it. */
    public static final int B0_FLAG_RSV1 = 0x40;
    /** Byte 0: reserved bit 2. */
    public static final int B0_FLAG_RSV2 = 0x20;
    /** Byte 0: reserved bit 3. */
    public static final int B0_FLAG_RSV3 = 0x10;
    /** Byte 0: all three reserved bits. */
    public static final int B0_MASK_RSV = 0x70;
    /** Byte 0: the opcode. */
    public static final int B0_MASK_OPCODE = 0x0F;
    /** Byte 1: the payload is masked and a 4-byte key follows the length. */
    public static final int B1_FLAG_MASK = 0x80;
    /** Byte 1: the 7-bit payload length, or one of the two markers below. */
    public static final int B1_MASK_LENGTH = 0x7F;

    /** The largest length carried in the 7 bits themselves. */
    public static final int PAYLOAD_SHORT_MAX = 125;
    /** 7-bit marker: a 16-bit length follows. */
    public static final int PAYLOAD_16 = 126;
    /** 7-bit marker: a 64-bit length follows. */
    public static final int PAYLOAD_64 = 127;
    /** The largest length carried in 16 bits. */
    public static final int PAYLOAD_16_MAX = 0xFFFF;
    /** Control frames carry at most this many bytes (RFC 6455 §5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The longest header: 2 bytes, a 64-bit length and a masking key. */
    public static final int MAX_HEADER_SIZE = 14;
}
