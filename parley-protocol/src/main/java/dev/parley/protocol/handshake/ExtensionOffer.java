package dev.parley.protocol.handshake;

import java.util.List;
import java.util.Objects;

/**
 * One extension named in a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1), with its
 * parameters in the order given. A header may hold several offers, even several of the same
 * extension with different parameters (RFC 7692 §5: fallbacks in order of preference). Immutable.
 *
 * <p>Parse a header with {@link ExtensionHeaderParser#parse(List)}; {@link #toString()} renders an
 * offer in the header's syntax.
 *
 * @param name the extension token, for example {@code permessage-deflate}
 * @param parameters the parameters in order; names are kept as sent
 */
public record ExtensionOffer(String name, List<Parameter> parameters) {
    /**
     * Checks the grammar of RFC 6455 §9.1, so that every offer can be written to a header.
     *
     * @throws IllegalArgumentException if the name is not a token
     */
    public ExtensionOffer {
        Objects.requireNonNull(name, "name");
        if (!HttpChars.isToken(name)) {
            throw new IllegalArgumentException("extension name is not a token: " + HttpChars.quote(name));
        }
        parameters = List.copyOf(parameters);
    }

    /** An offer without parameters. */
    public ExtensionOffer(String name) {
        this(name, List.of());
    }

    /**
     * A parameter of an extension offer. A parameter given without a value has {@code value ==
     * null}; a quoted-string value is stored unquoted and unescaped.
     */
    public record Parameter(String name, String value) {
        /**
         * Checks the grammar of RFC 6455 §9.1: the name is a token, and so is the value when
         * present (after unquoting, for a value that was sent as a quoted-string).
         *
         * @throws IllegalArgumentException if the name or the value is not a token
         */
        public Parameter {
            Objects.requireNonNull(name, "name");
            if (!HttpChars.isToken(name)) {
                throw new IllegalArgumentException("parameter name is not a token: " + HttpChars.quote(name));
            }
            if (value != null && !HttpChars.isToken(value)) {
                throw new IllegalArgumentException("parameter value is not a token: " + HttpChars.quote(value));
            }
        }
    }

    /** The first parameter named {@code name} (compared without regard to case), or {@code null}. */
    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Renders the offer in the header's syntax. Values are tokens (RFC 6455 §9.1), so none needs
     * quoting.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name);
        for (Parameter p : parameters) {
            out.append("; ").append(p.name());
            if (p.value() != null) {
                out.append('=').append(p.value());
            }
        }
        return out.toString();
    }

    /** Whether every character is a token character of RFC 9110 §5.6.2. */
    static boolean isToken(String s) {
        return HttpChars.isToken(s);
    }
}
