package dev.parley.protocol.handshake;

import java.util.List;
import java.util.Objects;

/**
 * One extension named in a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1), with its
 * parameters in the order given. A header may hold several offers, even several of the same
 * extension with different parameters (RFC 7692 §5: fallbacks in order of preference).
 *
 * @param name the extension token, for example {@code permessage-deflate}
 * @param parameters the parameters in order; names are kept as sent
 */
public record ExtensionOffer(String name, List<Parameter> parameters) {
    public ExtensionOffer {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    /**
     * A parameter of an extension offer. A parameter given without a value has {@code value ==
     * null}; a quoted-string value is stored unquoted and unescaped.
     */
    public record Parameter(String name, String value) {
        public Parameter {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Renders the offer in the header's syntax, quoting values that are not tokens. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name);
        for (Parameter p : parameters) {
            out.append("; ").append(p.name());
            if (p.value() != null) {
                out.append('=');
                if (isToken(p.value())) {
                    out.append(p.value());
                } else {
                    out.append('"');
                    for (int i = 0; i < p.value().length(); i++) {
                        char c = p.value().charAt(i);
                        if (c == '"' || c == '\\') {
                            out.append('\\');
                        }
                        out.append(c);
                    }
                    out.append('"');
                }
            }
        }
        return out.toString();
    }

    /** Whether every character is a token character of RFC 7230 §3.2.6. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
