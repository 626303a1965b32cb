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
        // Every surrogate pair becomes 4 bytes and any other non-ASCII char 2 or 3, so a
        // substituted '?' can only hide in a string that is not pure ASCII.
        if (bytes.length != text.length()) {
            checkSurrogates(text);
        }
        return bytes;
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
