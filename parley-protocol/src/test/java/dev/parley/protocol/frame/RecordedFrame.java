package dev.parley.protocol.frame;

import dev.parley.protocol.Opcode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One frame as a {@link RecordingHandler} saw it: the header, the payload bytes concatenated, and
 * whether {@code frameEnd} came (a frame cut off by the end of the input is incomplete).
 */
record RecordedFrame(Opcode opcode, boolean fin, int rsv, long length, byte[] payload, boolean complete) {

    /** A complete frame whose declared length is its payload's. */
    static RecordedFrame frame(Opcode opcode, boolean fin, int rsv, byte[] payload) {
        return new RecordedFrame(opcode, fin, rsv, payload.length, payload, true);
    }

    static RecordedFrame frame(Opcode opcode, boolean fin, byte[] payload) {
        return frame(opcode, fin, 0, payload);
    }

    static RecordedFrame frame(Opcode opcode, boolean fin, String utf8) {
        return frame(opcode, fin, 0, utf8.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedFrame that
                && opcode == that.opcode
                && fin == that.fin
                && rsv == that.rsv
                && length == that.length
                && complete == that.complete
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(opcode, fin, rsv, length, complete) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String bytes = payload.length <= 32
                ? Hex.hex(payload)
                : Hex.hex(Arrays.copyOf(payload, 32)) + "... (" + payload.length + " bytes, hash "
                        + Arrays.hashCode(payload) + ")";
        return opcode + (fin ? " FIN" : " -") + " rsv=0x" + Integer.toHexString(rsv) + " len=" + length + " [" + bytes
                + "]" + (complete ? "" : " INCOMPLETE");
    }
}
