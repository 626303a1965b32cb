package dev.parley.protocol.deflate;

import dev.parley.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex literals and a sink that records what an inflater produced. */
final class Bytes {
    private Bytes() {}

    /** {@code "f2 48 cd"} to bytes; spaces are ignored. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    static String hex(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return hex(out);
    }

    static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Records every chunk's bytes, checking the contract: never empty, never over the chunk size. */
    static final class Recorder implements MessageInflater.Sink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long delivered;
        int chunks;

        @Override
        public void accept(ByteBuffer chunk) throws ProtocolException {
            if (!chunk.hasRemaining() || chunk.remaining() > MessageInflater.CHUNK_SIZE) {
                throw new AssertionError("bad chunk of " + chunk.remaining() + " bytes");
            }
            delivered += chunk.remaining();
            chunks++;
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            out.writeBytes(b);
        }

        /** Everything received so far, then forgets it. */
        byte[] take() {
            byte[] b = out.toByteArray();
            out.reset();
            return b;
        }
    }
}
