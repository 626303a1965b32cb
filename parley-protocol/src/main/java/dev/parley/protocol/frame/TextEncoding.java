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
        // getBytes writes '?' for an unpaired surrogate. A string whose bytes hold no '?' and
        // match its length is plain ASCII, the common case, and needs no second look.
        if (bytes.length != text.length() || hasQuestionMark(bytes)) {
            checkSurrogates(text);
        }
        return bytes;
    }

    private static boolean hasQuestionMark(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '?') {
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
