package dev.parley.protocol.deflate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * A raw DEFLATE stream of about 1 MiB that inflates to 1 GiB of zeros, built in milliseconds: one
 * sync-flushed MiB of zeros compressed after another MiB of zeros only refers back into zeros, so
 * the same bytes repeated decode to another MiB each time.
 */
final class Bomb {
    private static final int MIB = 1 << 20;
    private static byte[] cached;

    private Bomb() {}

    static synchronized byte[] gigabyteOfZeros() {
        if (cached == null) {
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            byte[] zeros = new byte[MIB];
            byte[] first = flush(deflater, zeros);
            byte[] next = flush(deflater, zeros);
            deflater.end();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(first);
            for (int i = 1; i < 1024; i++) {
                out.writeBytes(next);
            }
            byte[] all = out.toByteArray();
            // RFC 7692 §7.2.1: the final 00 00 ff ff goes; the receiver adds it back.
            cached = Arrays.copyOf(all, all.length - 4);
        }
        return cached;
    }

    private static byte[] flush(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        return out.toByteArray();
    }
}
