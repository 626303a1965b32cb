package dev.parley.protocol.handshake;

import java.util.Objects;

/**
 * The head of an HTTP/1.x request: request line and header fields (RFC 9112 §3, §5). Immutable and
 * safe to share; the headers are a read-only copy of those given.
 *
 * @param method the method token, case-sensitive ({@code GET}, not {@code get})
 * @param target the request target as sent: origin-form {@code /path?query}, absolute-form {@code
 *     http://host/path}, authority-form or {@code *}
 * @param version the protocol version
 * @param headers the header fields in order
 */
public record HttpRequest(String method, String target, HttpVersion version, Headers headers) {
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        headers = headers.readOnlyCopy();
    }

    /**
     * The path of the target, still percent-encoded: the part before {@code ?} for origin-form,
     * the part after the authority for absolute-form ({@code /} when empty), and the whole target
     * for the authority-form and asterisk-form, which have no path.
     */
    public String path() {
        int end = pathEnd();
        int start = pathStart();
        if (start < 0) {
            return target;
        }
        return start >= end ? "/" : target.substring(start, end);
    }

    /** The query of the target without its {@code ?}, still percent-encoded; {@code null} if none. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /** Whether the target is in origin-form (RFC 9112 §3.2.1), that is, starts with {@code /}. */
    public boolean isOriginForm() {
        return target.startsWith("/");
    }

    /** Whether the target is in absolute-form (RFC 9112 §3.2.2), {@code scheme://authority...}. */
    public boolean isAbsoluteForm() {
        return schemeEnd() > 0;
    }

    private int schemeEnd() {
        int s = target.indexOf("://");
        if (s <= 0) {
            return -1;
        }
        for (int i = 0; i < s; i++) {
            char c = target.charAt(i);
            boolean ok = Character.isLetter(c) || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
            if (!ok || c > 0x7F) {
                return -1;
            }
        }
        return s;
    }

    private int pathStart() {
        if (isOriginForm()) {
            return 0;
        }
        int scheme = schemeEnd();
        if (scheme < 0) {
            return -1;
        }
        int authorityStart = scheme + 3;
        int end = pathEnd();
        for (int i = authorityStart; i < end; i++) {
            if (target.charAt(i) == '/') {
                return i;
            }
        }
        return end;
    }

    private int pathEnd() {
        int q = target.indexOf('?');
        int f = target.indexOf('#');
        int end = q < 0 ? target.length() : q;
        return f >= 0 && f < end ? f : end;
    }

    /** The request line, for logs. */
    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
