package dev.parley.bench;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import dev.parley.protocol.frame.FrameEncoder;
import java.nio.ByteBuffer;

/** Builds the wire bytes a client sends, with a fixed masking key so that runs are repeatable. */
final class Frames {
    static final int KEY = 0x37FA213D;

    private Frames() {}

    /** {@code count} masked client frames, each carrying {@code payload}, back to back. */
    static byte[] clientFrames(Opcode opcode, byte[] payload, int count) {
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> KEY);
        ByteBuffer out = ByteBuffer.allocate(count * encoder.frameSize(payload.length));
        for (int i = 0; i < count; i++) {
            encoder.encode(opcode, true, 0, ByteBuffer.wrap(payload), out);
        }
        return out.array();
    }
}
