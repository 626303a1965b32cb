package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.FrameBits.B0_FLAG_FIN;
import static dev.parley.protocol.frame.FrameBits.B0_MASK_RSV;
import static dev.parley.protocol.frame.FrameBits.B1_FLAG_MASK;
import static dev.parley.protocol.frame.FrameBits.MAX_CONTROL_PAYLOAD;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_16;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_16_MAX;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_64;
import static dev.parley.protocol.frame.FrameBits.PAYLOAD_SHORT_MAX;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Writes frames (RFC 6455 §5.2) for one endpoint. A client masks every frame with a fresh key
 * (§5.3); a server masks none, so a server frame can be built once and its bytes shared by many
 * connections. Lengths always use their minimal encoding.
 *
 * <p>Payload buffers are read between their position and limit without being modified or moved:
 * masking happens in the output. Not thread-safe for a client (the key source has state); a server
 * encoder holds no state and may be shared.
 */
public final class FrameEncoder {
    private final boolean mask;
    private final IntSupplier maskKeys;

    /** An encoder for {@code role}, a client taking its keys from a new {@link MaskKeys}. */
    public FrameEncoder(Role role) {
        this(role, role == Role.CLIENT ? new MaskKeys() : () -> 0);
    }

    /** An encoder with a chosen key source (tests use a fixed one to get known bytes). */
    public FrameEncoder(Role role, IntSupplier maskKeys) {
        this.mask = Objects.requireNonNull(role, "role") == Role.CLIENT;
        this.maskKeys = Objects.requireNonNull(maskKeys, "maskKeys");
    }

    /** Whether frames from this encoder are masked (client role). */
    public boolean masks() {
        return mask;
    }

    /** The size of a header for a payload of {@code length} bytes. */
    public static int headerSize(long length, boolean masked) {
        int size = length <= PAYLOAD_SHORT_MAX ? 2 : length <= PAYLOAD_16_MAX ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /** The size of the frame carrying {@code length} payload bytes from this encoder. */
    public int frameSize(long length) {
        return headerSize(length, mask) + (int) length;
    }

    /**
     * Writes one frame into {@code out}, which must have {@link #frameSize} bytes remaining.
     *
     * @param rsv reserved bits as in the first byte ({@link FrameBits#B0_MASK_RSV})
     * @throws IllegalArgumentException for a control frame over 125 bytes or not final, or bits
     *     outside RSV
     */
    public void encode(Opcode opcode, boolean fin, int rsv, ByteBuffer payload, ByteBuffer out) {
        int length = payload.remaining();
        int key = writeHeader(opcode, fin, rsv, length, out);
        int at = out.position();
        out.put(payload.duplicate());
        if (mask) {
            Masking.mask(out, at, length, key, 0);
        }
    }

    /** Encodes one frame into a new heap buffer, ready to be read (position 0, limit its size). */
    public ByteBuffer encode(Opcode opcode, boolean fin, int rsv, ByteBuffer payload) {
        int length = payload.remaining();
        if (!payload.hasArray()) {
            ByteBuffer out = ByteBuffer.allocate(frameSize(length));
            encode(opcode, fin, rsv, payload, out);
            return out.flip();
        }
        checkHeader(opcode, fin, rsv, length);
        int header = headerSize(length, mask);
        byte[] src = payload.array();
        int from = payload.arrayOffset() + payload.position();
        // The payload is copied right after the allocation, header bytes after it: the JIT then
        // zeroes only the header's bytes of the new array, not the whole frame, and the copy is a
        // plain array copy rather than a buffer-to-buffer transfer.
        byte[] frame = new byte[header + length];
        System.arraycopy(src, from, frame, header, length);
        ByteBuffer out = ByteBuffer.wrap(frame);
        int key = writeHeader(opcode, fin, rsv, length, out);
        if (mask) {
            Masking.mask(frame, header, length, key, 0);
        }
        return out.clear();
    }

    /**
     * Encodes a whole message as frames of at most {@code maxFramePayload} bytes each into a new
     * buffer ready to be read: the first frame has {@code opcode} and the reserved bits, the rest
     * are continuations (RFC 6455 §5.4), the last is final. An empty message is one empty frame.
     */
    public ByteBuffer encodeMessage(Opcode opcode, int rsv, ByteBuffer payload, int maxFramePayload) {
        if (opcode.isControl() || opcode == Opcode.CONTINUATION) {
            throw new IllegalArgumentException("not a data opcode: " + opcode);
        }
        if (maxFramePayload < 1) {
            throw new IllegalArgumentException("maxFramePayload must be >= 1: " + maxFramePayload);
        }
        int length = payload.remaining();
        int frames = Math.max(1, (length + maxFramePayload - 1) / maxFramePayload);
        long size = (long) length
                + (long) (frames - 1) * headerSize(maxFramePayload, mask)
                + headerSize(length - (long) (frames - 1) * maxFramePayload, mask);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size));
        ByteBuffer slice = payload.duplicate();
        int start = slice.position();
        for (int i = 0; i < frames; i++) {
            int from = start + i * maxFramePayload;
            int to = Math.min(from + maxFramePayload, start + length);
            slice.limit(to).position(from);
            encode(i == 0 ? opcode : Opcode.CONTINUATION, i == frames - 1, i == 0 ? rsv : 0, slice, out);
        }
        return out.flip();
    }

    /**
     * Writes only the header of a frame, for a caller that writes the payload itself (for example
     * a server sending the same payload to many connections). A masked header's payload must be
     * masked by the caller with the returned key.
     *
     * @return the masking key written, or 0 when this encoder does not mask
     */
    public int writeHeader(Opcode opcode, boolean fin, int rsv, long length, ByteBuffer out) {
        checkHeader(opcode, fin, rsv, length);
        out.put((byte) ((fin ? B0_FLAG_FIN : 0) | rsv | opcode.code()));
        int maskBit = mask ? B1_FLAG_MASK : 0;
        if (length <= PAYLOAD_SHORT_MAX) {
            out.put((byte) (maskBit | length));
        } else if (length <= PAYLOAD_16_MAX) {
            out.put((byte) (maskBit | PAYLOAD_16));
            out.put((byte) (length >>> 8)).put((byte) length);
        } else {
            out.put((byte) (maskBit | PAYLOAD_64));
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.put((byte) (length >>> shift));
            }
        }
        if (!mask) {
            return 0;
        }
        int key = maskKeys.getAsInt();
        out.put((byte) (key >>> 24))
                .put((byte) (key >>> 16))
                .put((byte) (key >>> 8))
                .put((byte) key);
        return key;
    }

    /** The checks of {@link #writeHeader}, made before anything is written or allocated. */
    private static void checkHeader(Opcode opcode, boolean fin, int rsv, long length) {
        if ((rsv & ~B0_MASK_RSV) != 0) {
            throw new IllegalArgumentException("not reserved bits: 0x" + Integer.toHexString(rsv));
        }
        if (opcode.isControl() && (length > MAX_CONTROL_PAYLOAD || !fin)) {
            throw new IllegalArgumentException(
                    "a control frame must be final and carry at most 125 bytes (RFC 6455 §5.5): " + opcode + ", "
                            + length + " bytes" + (fin ? "" : ", not final"));
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
    }
}
