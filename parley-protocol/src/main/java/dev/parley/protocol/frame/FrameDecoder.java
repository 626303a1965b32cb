package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.FrameBits.B0_FLAG_FIN;
import static dev.parley.protocol.frame.FrameBits.B0_FLAG_RSV1;
import static dev.parley.protocol.frame.FrameBits.B0_MASK_OPCODE;
import static dev.parley.protocol.frame.FrameBits.B0_MASK_RSV;
import static dev.parley.protocol.frame.FrameBits.B1_FLAG_MASK;
import static dev.parley.protocol.frame.FrameBits.B1_MASK_LENGTH;
import static dev.parley.protocol.frame.FrameBits.MAX_CONTROL_PAYLOAD;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_16;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_16_MAX;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_64;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An incremental decoder of the frames a peer sends (RFC 6455 §5). Feed it bytes in pieces of any
 * size, down to one byte at a time; it reports each frame to a {@link FrameHandler} as soon as its
 * header is complete and passes the payload through as it arrives, unmasked in place, without
 * buffering it. Only a partial header (at most 14 bytes) is kept between calls.
 *
 * <p>It enforces every frame-level rule: reserved opcodes and bits, masking by role, minimal length
 * encoding, the 64-bit length's top bit, control frame size and fragmentation, the order of
 * fragments, and the {@link Limits}, which are checked against the declared length before any
 * payload is read. The first violation throws {@link ProtocolException}; the decoder then refuses
 * further input.
 *
 * <p>Not thread-safe: one decoder per connection, used by one thread at a time.
 */
public final class FrameDecoder {
    private static final int HEADER = 0;
    private static final int PAYLOAD = 1;
    private static final int FAILED = 2;

    private Role peer;
    private Limits limits;
    private int grantedRsv;
    private boolean rsv1PerMessage;

    private int state = HEADER;
    /** A header split between two inputs, gathered here; made at the first such split. */
    private byte[] header;

    private int headerLength;

    private Opcode opcode;
    private boolean fin;
    private int rsv;
    private int maskKey;
    private boolean masked;
    private int maskPhase;
    private long payloadRemaining;

    private boolean inMessage;
    private int fragments;
    private long messageBytes;
    private boolean messageCompressed;

    /**
     * A decoder for the frames of a connection where this endpoint has role {@code local}: a
     * server decodes masked client frames, a client unmasked server frames.
     */
    public FrameDecoder(Role local, Limits limits) {
        this.peer = Objects.requireNonNull(local, "local").peer();
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Allows reserved bits that a negotiated extension defines. With {@code rsv1PerMessage}, RSV1
     * follows RFC 7692 §6: it may be set on the first frame of a data message only, never on a
     * continuation or control frame.
     *
     * @param rsvBits bits of {@link FrameBits#B0_MASK_RSV}
     */
    public void grantReservedBits(int rsvBits, boolean rsv1PerMessage) {
        if ((rsvBits & ~B0_MASK_RSV) != 0) {
            throw new IllegalArgumentException("not reserved bits: 0x" + Integer.toHexString(rsvBits));
        }
        this.grantedRsv = rsvBits;
        this.rsv1PerMessage = rsv1PerMessage;
    }

    /**
     * Readies a decoder that rests between messages to decode another stream, as a new one made
     * with these arguments would, granting no reserved bits: a connection can lend its decoder out
     * while it is idle, so that idle connections hold none. The header array, if one was made, is
     * kept.
     *
     * @throws IllegalStateException if the decoder is inside a frame or a fragmented message, or
     *     failed
     */
    public void reuse(Role local, Limits limits) {
        if (!isAtFrameBoundary() || inMessage) {
            throw new IllegalStateException("reuse of a decoder inside a frame or a message, or failed");
        }
        this.peer = Objects.requireNonNull(local, "local").peer();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.grantedRsv = 0;
        this.rsv1PerMessage = false;
    }

    /** Whether a fragmented data message has begun and not yet ended. */
    public boolean isInMessage() {
        return inMessage;
    }

    /** Whether the bytes so far end exactly between two frames. */
    public boolean isAtFrameBoundary() {
        return state == HEADER && headerLength == 0;
    }

    /**
     * Decodes every byte between the buffer's position and limit, reporting to the handler. On
     * return the buffer's position equals its limit. Payload bytes are unmasked in the buffer
     * itself.
     *
     * @throws ProtocolException the first rule the input breaks; thrown also when the handler
     *     throws it. Later calls throw {@link IllegalStateException}, as they do after the handler
     *     throws an unchecked exception.
     */
    public void decode(ByteBuffer in, FrameHandler handler) throws ProtocolException {
        if (state == FAILED) {
            throw new IllegalStateException("decode in state FAILED: the stream already broke the protocol");
        }
        try {
            while (in.hasRemaining()) {
                if (state == HEADER) {
                    if (!readHeader(in)) {
                        return;
                    }
                    startFrame(handler);
                } else {
                    readPayload(in, handler);
                }
            }
        } catch (ProtocolException | RuntimeException e) {
            // A handler's own failure leaves a frame half-reported: resuming would misread it.
            state = FAILED;
            throw e;
        }
    }

    /** Reads header bytes; true once the header is complete and parsed. */
    private boolean readHeader(ByteBuffer in) throws ProtocolException {
        int pos = in.position();
        int available = in.limit() - pos;
        if (headerLength == 0 && available >= 2) {
            // Fast path: the whole header is in this buffer, parse it in place.
            int b0 = in.get(pos) & 0xFF;
            int b1 = in.get(pos + 1) & 0xFF;
            int size = headerSize(b1);
            if (available >= size) {
                parseHeader(b0, b1, in, pos + 2);
                in.position(pos + size);
                return true;
            }
        }
        if (header == null) {
            header = new byte[FrameBits.MAX_HEADER_SIZE]; // not before: an idle connection holds none
        }
        int size = headerLength >= 2 ? headerSize(header[1] & 0xFF) : 2;
        while (headerLength < size && in.hasRemaining()) {
            header[headerLength++] = in.get();
            if (headerLength == 2) {
                size = headerSize(header[1] & 0xFF);
            }
        }
        if (headerLength < size) {
            return false;
        }
        parseHeader(header[0] & 0xFF, header[1] & 0xFF, ByteBuffer.wrap(header), 2);
        headerLength = 0;
        return true;
    }

    private static int headerSize(int b1) {
        int len7 = b1 & B1_MASK_LENGTH;
        int size = 2 + (len7 == PAYLOAD_16 ? 2 : len7 == PAYLOAD_64 ? 8 : 0);
        return (b1 & B1_FLAG_MASK) != 0 ? size + 4 : size;
    }

    /** Checks and records a complete header whose bytes after the first two start at {@code at}. */
    private void parseHeader(int b0, int b1, ByteBuffer src, int at) throws ProtocolException {
        Opcode op = Opcode.of(b0 & B0_MASK_OPCODE);
        if (op == null) {
            throw new ProtocolException(ProtocolViolation.RESERVED_OPCODE, hex(b0 & B0_MASK_OPCODE));
        }
        int rsv = b0 & B0_MASK_RSV;
        if ((rsv & ~grantedRsv) != 0) {
            throw new ProtocolException(ProtocolViolation.RESERVED_BITS, hex(rsv));
        }
        if (rsv1PerMessage && (rsv & B0_FLAG_RSV1) != 0 && (op == Opcode.CONTINUATION || op.isControl())) {
            throw new ProtocolException(ProtocolViolation.RESERVED_BITS, "RSV1 on a " + op + " frame (RFC 7692 §6.1)");
        }
        boolean isMasked = (b1 & B1_FLAG_MASK) != 0;
        if (peer == Role.CLIENT && !isMasked) {
            throw new ProtocolException(ProtocolViolation.UNMASKED_CLIENT_FRAME);
        }
        if (peer == Role.SERVER && isMasked) {
            throw new ProtocolException(ProtocolViolation.MASKED_SERVER_FRAME);
        }
        boolean isFin = (b0 & B0_FLAG_FIN) != 0;
        int len7 = b1 & B1_MASK_LENGTH;
        if (op.isControl()) {
            if (!isFin) {
                throw new ProtocolException(ProtocolViolation.FRAGMENTED_CONTROL_FRAME, op.toString());
            }
            if (len7 > MAX_CONTROL_PAYLOAD) {
                throw new ProtocolException(ProtocolViolation.CONTROL_FRAME_TOO_LONG, op.toString());
            }
        } else if (op == Opcode.CONTINUATION) {
            if (!inMessage) {
                throw new ProtocolException(ProtocolViolation.UNEXPECTED_CONTINUATION);
            }
        } else if (inMessage) {
            throw new ProtocolException(ProtocolViolation.EXPECTED_CONTINUATION, op.toString());
        }

        long length = len7;
        if (len7 == PAYLOAD_16) {
            length = bigEndian(src, at, 2);
            at += 2;
            if (length <= FrameBits.PAYLOAD_SHORT_MAX) {
                throw new ProtocolException(ProtocolViolation.NON_MINIMAL_LENGTH, length + " in 16 bits");
            }
        } else if (len7 == PAYLOAD_64) {
            length = bigEndian(src, at, 8);
            at += 8;
            if (length < 0) {
                throw new ProtocolException(ProtocolViolation.LENGTH_TOP_BIT_SET);
            }
            if (length <= PAYLOAD_16_MAX) {
                throw new ProtocolException(ProtocolViolation.NON_MINIMAL_LENGTH, length + " in 64 bits");
            }
        }
        if (!op.isControl()) {
            checkDataLimits(op, rsv, length);
        }
        this.opcode = op;
        this.fin = isFin;
        this.rsv = rsv;
        this.masked = isMasked;
        this.maskKey = isMasked ? (int) bigEndian(src, at, 4) : 0;
        this.maskPhase = 0;
        this.payloadRemaining = length;
    }

    private void checkDataLimits(Opcode op, int rsv, long length) throws ProtocolException {
        if (length > limits.maxFramePayload()) {
            throw new ProtocolException(
                    ProtocolViolation.FRAME_TOO_BIG, length + " bytes > limit " + limits.maxFramePayload());
        }
        boolean first = op != Opcode.CONTINUATION;
        int count = first ? 1 : fragments + 1;
        if (count > limits.maxFragments()) {
            throw new ProtocolException(
                    ProtocolViolation.TOO_MANY_FRAGMENTS, count + " frames > limit " + limits.maxFragments());
        }
        boolean compressed = first ? (rsv & B0_FLAG_RSV1) != 0 && rsv1PerMessage : messageCompressed;
        long total = (first ? 0 : messageBytes) + length;
        if (total > wireLimit(compressed)) {
            throw new ProtocolException(
                    ProtocolViolation.MESSAGE_TOO_BIG, total + " bytes > limit " + limits.maxMessageSize());
        }
        fragments = count;
        messageBytes = total;
        messageCompressed = compressed;
    }

    /**
     * The most wire bytes a message may have. A compressed message is bounded after inflation by
     * the inflater; on the wire it may exceed the limit slightly, because DEFLATE stores
     * incompressible data with 5 bytes of overhead per block of up to 64 KiB (RFC 1951 §3.2.4).
     */
    private long wireLimit(boolean compressed) {
        long max = limits.maxMessageSize();
        if (!compressed) {
            return max;
        }
        long allowance = (max >>> 10) + 64;
        return max > Long.MAX_VALUE - allowance ? Long.MAX_VALUE : max + allowance; // no overflow
    }

    private void startFrame(FrameHandler handler) throws ProtocolException {
        if (!opcode.isControl()) {
            inMessage = !fin;
        }
        handler.frameStart(opcode, fin, rsv, payloadRemaining);
        if (payloadRemaining == 0) {
            handler.frameEnd();
        } else {
            state = PAYLOAD;
        }
    }

    private void readPayload(ByteBuffer in, FrameHandler handler) throws ProtocolException {
        int pos = in.position();
        int limit = in.limit();
        int n = (int) Math.min(limit - pos, payloadRemaining);
        if (masked) {
            maskPhase = Masking.mask(in, pos, n, maskKey, maskPhase);
        }
        in.limit(pos + n);
        try {
            handler.framePayload(in);
        } finally {
            in.limit(limit);
            in.position(pos + n);
        }
        payloadRemaining -= n;
        if (payloadRemaining == 0) {
            state = HEADER;
            handler.frameEnd();
        }
    }

    /** Reads in network byte order whatever the buffer's own order (it is the caller's). */
    private static long bigEndian(ByteBuffer src, int at, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (src.get(at + i) & 0xFF);
        }
        return value;
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT);
    }
}
