package dev.parley.protocol.frame;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 encoding of Java strings. {@link String#getBytes} silently turns an unpaired
 * surrogate into {@code '?'}; a WebSocket text message must be valid UTF-8 and must say what the
 * application wrote, so such a string is refused instead. Stateless.
 */
public final class TextEncoding {
    private TextEncoding() {}

    /**
     * Encodes {@code text} as UTF-8.
     *
     * @throws IllegalArgumentException if the text contains an unpaired surrogate
     */
    public static byte[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // Every char becomes at least one byte, and exactly one only if it is ASCII or an unpaired
        // surrogate, which getBytes replaces with '?'. So equal lengths mean pure ASCII unless the
        // output holds a '?'.
        if (bytes.length != text.length() || contains(bytes, (byte) '?')) {
            checkSurrogates(text);
        }
        return bytes;
    }

    private static boolean contains(byte[] bytes, byte value) {
        for (byte b : bytes) {
            if (b == value) {
                return true;
            }
        }
        return false;
    }

    private static void checkSurrogates(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text has an unpaired surrogate at index " + i);
            }
        }
    }
}
