package dev.parley.interop;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic test payloads, generated exactly as {@code src/test/node/peer.js} does so that a
 * peer in another language can check them byte for byte.
 *
 * <p>Text mixes one-, two-, three- and four-byte UTF-8 characters and compresses well; binary is
 * xorshift noise and does not compress at all, so permessage-deflate meets both extremes.
 */
final class Payloads {
    /** The frame length boundaries of RFC 6455 §5.2 (7-bit, 16-bit, 64-bit), 1 MiB and 16 MiB. */
    static final List<Integer> SIZES = List.of(0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20);

    private static final String UNIT = "Parley κόσμε ✓ 🙂 interop\n";
    private static final Map<Integer, String> TEXTS = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> BINARIES = new ConcurrentHashMap<>();

    private Payloads() {}

    /** Text of exactly {@code bytes} UTF-8 bytes: UNIT repeated while whole characters fit, then 'x'. */
    static String text(int bytes) {
        return TEXTS.computeIfAbsent(bytes, Payloads::makeText);
    }

    /** The UTF-8 bytes of {@link #text(int)}. */
    static byte[] textBytes(int bytes) {
        return text(bytes).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code bytes} bytes of xorshift32 noise from a fixed seed. Callers must not modify it. */
    static byte[] binary(int bytes) {
        return BINARIES.computeIfAbsent(bytes, Payloads::makeBinary);
    }

    private static String makeText(int n) {
        int[] unit = UNIT.codePoints().toArray();
        StringBuilder sb = new StringBuilder(n);
        int bytes = 0;
        for (int i = 0; ; i++) {
            int cp = unit[i % unit.length];
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > n) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += len;
        }
        sb.append("x".repeat(n - bytes));
        return sb.toString();
    }

    private static byte[] makeBinary(int n) {
        byte[] b = new byte[n];
        int x = 0x9e3779b9;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    /** A size for test names: 65536 reads "64 KiB". */
    static String label(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
