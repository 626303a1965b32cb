package dev.parley.protocol.handshake;

/**
 * Character classes of the HTTP grammar (RFC 9110 §5.6, RFC 9112), shared by the head parser, the
 * header collection and the extension header scanner. Stateless.
 */
final class HttpChars {
    private static final boolean[] TOKEN = new boolean[128];

    static {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private HttpChars() {}

    /** Whether {@code c} may appear in a token. */
    static boolean isTokenChar(int c) {
        return c >= 0 && c < 128 && TOKEN[c];
    }

    /** Whether {@code s} is a non-empty token. */
    static boolean isToken(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Optional whitespace, RFC 9110 §5.6.3: space or horizontal tab. */
    static boolean isOws(int c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Whether {@code c} may appear in a field value (RFC 9110 §5.5): visible ASCII, space, tab and
     * obs-text (0x80-0xFF). Everything else, CR, LF and NUL in particular, is a control character.
     */
    static boolean isFieldValueChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
    }

    /** A value for an error message: printable, quoted, and cut short so a message stays one line. */
    static String quote(CharSequence s) {
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(s.length(), 40);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                out.append(c > 0xFF ? String.format("\\u%04X", (int) c) : String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(shown < s.length() ? "...\"" : "\"").toString();
    }

    /** One character for an error message, escaped when not printable. */
    static String describe(int c) {
        if (c >= 0x21 && c < 0x7F) {
            return "'" + (char) c + "'";
        }
        return c > 0xFF ? String.format("U+%04X", c) : String.format("byte 0x%02X", c);
    }
}
