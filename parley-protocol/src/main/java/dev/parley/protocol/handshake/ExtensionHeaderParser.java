package dev.parley.protocol.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code Sec-WebSocket-Extensions} values by the grammar of RFC 6455 §9.1:
 *
 * <pre>
 * extension-list = 1#extension
 * extension      = extension-token *( ";" extension-param )
 * extension-param = token [ "=" ( token | quoted-string ) ]
 * </pre>
 *
 * <p>with RFC 9110 tokens, optional whitespace around {@code ,}, {@code ;} and {@code =}, empty list
 * elements ignored (RFC 9110 §5.6.1), and quoted-string values with backslash escapes whose
 * unescaped text must itself be a token (RFC 6455 §9.1). Several header lines combine into one
 * list; the same extension may be offered several times (RFC 7692 §5.1, fallbacks in order of
 * preference). A hand-written single-pass scanner: linear time, no regular expressions.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExtensionHeaderParser {
    /** The header name. */
    public static final String HEADER = "Sec-WebSocket-Extensions";

    private ExtensionHeaderParser() {}

    /** Parses one header value; errors are status 400. */
    public static List<ExtensionOffer> parse(String headerValue) throws HandshakeException {
        return parse(List.of(headerValue));
    }

    /** Parses the values of every header line, in order, into one list; errors are status 400. */
    public static List<ExtensionOffer> parse(List<String> headerValues) throws HandshakeException {
        return parse(headerValues, 400);
    }

    /** As {@link #parse(List)}, failing with {@code status} (0 for a client-side failure). */
    static List<ExtensionOffer> parse(List<String> headerValues, int status) throws HandshakeException {
        List<ExtensionOffer> out = new ArrayList<>();
        for (String value : headerValues) {
            new Scanner(value, status).scanInto(out);
        }
        return List.copyOf(out);
    }

    /** The header value for a list of offers, comma-separated; empty for an empty list. */
    public static String render(List<ExtensionOffer> offers) {
        StringBuilder out = new StringBuilder();
        for (ExtensionOffer offer : offers) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(offer);
        }
        return out.toString();
    }

    /** One pass over one header value; {@code pos} only moves forward. */
    private static final class Scanner {
        private final String s;
        private final int status;
        private int pos;

        Scanner(String s, int status) {
            this.s = s;
            this.status = status;
        }

        void scanInto(List<ExtensionOffer> out) throws HandshakeException {
            int found = 0;
            while (true) {
                skipOws();
                if (pos == s.length()) {
                    break;
                }
                if (s.charAt(pos) == ',') {
                    pos++; // an empty list element, which recipients must ignore
                    continue;
                }
                out.add(extension());
                found++;
                skipOws();
                if (pos < s.length()) {
                    if (s.charAt(pos) != ',') {
                        throw error("expected ',' or ';'");
                    }
                    pos++;
                }
            }
            if (found == 0) {
                throw new HandshakeException(status, HEADER + " holds no extension (RFC 6455 §9.1 requires one).");
            }
        }

        private ExtensionOffer extension() throws HandshakeException {
            String name = token("an extension name");
            List<ExtensionOffer.Parameter> parameters = new ArrayList<>();
            skipOws();
            while (pos < s.length() && s.charAt(pos) == ';') {
                pos++;
                skipOws();
                String parameter = token("a parameter name");
                skipOws();
                String value = null;
                if (pos < s.length() && s.charAt(pos) == '=') {
                    pos++;
                    skipOws();
                    if (pos < s.length() && s.charAt(pos) == '"') {
                        int quoteAt = pos;
                        value = quotedString();
                        if (!HttpChars.isToken(value)) {
                            // RFC 6455 §9.1: "the value MUST conform to the token ABNF" once unescaped
                            pos = quoteAt;
                            throw error("a quoted value that is a token once unescaped");
                        }
                    } else {
                        value = token("a parameter value");
                    }
                    skipOws();
                }
                parameters.add(new ExtensionOffer.Parameter(parameter, value));
            }
            return new ExtensionOffer(name, parameters);
        }

        private String token(String what) throws HandshakeException {
            int start = pos;
            while (pos < s.length() && HttpChars.isTokenChar(s.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw error("expected " + what);
            }
            return s.substring(start, pos);
        }

        /** RFC 9110 §5.6.4: DQUOTE *( qdtext / quoted-pair ) DQUOTE, answered unescaped. */
        private String quotedString() throws HandshakeException {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return out.toString();
                }
                if (c == '\\') {
                    pos++;
                    if (pos == s.length()) {
                        break;
                    }
                    c = s.charAt(pos);
                }
                if (!HttpChars.isFieldValueChar(c)) {
                    throw error("no control character in a quoted string");
                }
                out.append(c);
                pos++;
            }
            throw error("a closing '\"' of the quoted string");
        }

        private void skipOws() {
            while (pos < s.length() && HttpChars.isOws(s.charAt(pos))) {
                pos++;
            }
        }

        private HandshakeException error(String expected) {
            String found = pos < s.length() ? HttpChars.describe(s.charAt(pos)) : "the end";
            String message = HEADER + " " + HttpChars.quote(s) + " is malformed at offset " + pos + ": "
                    + (expected.startsWith("expected") ? expected : "expected " + expected) + ", found " + found + ".";
            return new HandshakeException(status, message);
        }
    }
}
