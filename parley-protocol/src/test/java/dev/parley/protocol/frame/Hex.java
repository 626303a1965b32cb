package dev.parley.protocol.frame;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Frames as hex literals, written with a trailing comment naming the frame: {@code hex("81 05
 * 48656c6c6f") // text "Hello", unmasked}. Whitespace and underscores are ignored.
 */
final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {}

    static byte[] hex(String digits) {
        return FORMAT.parseHex(digits.replaceAll("[\\s_]", ""));
    }

    static String hex(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code count} copies of {@code part}, for floods of small frames. */
    static byte[] repeat(byte[] part, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code length} bytes counting up from 0, wrapping, so that a misplaced byte shows. */
    static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
