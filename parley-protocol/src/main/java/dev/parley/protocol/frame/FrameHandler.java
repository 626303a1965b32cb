package dev.parley.protocol.frame;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameDecoder} finds, in order: for each frame one {@link #frameStart},
 * zero or more {@link #framePayload} calls carrying the unmasked payload as it arrives, then one
 * {@link #frameEnd}. Any method may throw {@link ProtocolException} to fail the stream (for example
 * on invalid UTF-8 in a text payload); the decoder then refuses further input.
 */
public interface FrameHandler {
    /**
     * A frame header passed every rule of RFC 6455 §5 and the configured limits.
     *
     * @param rsv the reserved bits as they stand in the first byte ({@link FrameBits#B0_MASK_RSV})
     * @param length the declared payload length, already checked against the limits
     */
    void frameStart(Opcode opcode, boolean fin, int rsv, long length) throws ProtocolException;

    /**
     * A run of unmasked payload bytes, between the buffer's position and limit. The buffer is the
     * decoder's input, lent for the duration of the call: copy what must outlive it. Its position
     * after the call does not matter.
     */
    void framePayload(ByteBuffer payload) throws ProtocolException;

    /** The frame's payload is complete. */
    void frameEnd() throws ProtocolException;
}
