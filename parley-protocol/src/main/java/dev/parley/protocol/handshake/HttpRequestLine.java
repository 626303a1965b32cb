package dev.parley.protocol.handshake;

/**
 * A parsed request line, {@code method SP request-target SP HTTP-version} (RFC 9112 §3), with
 * single spaces only: the grammar allows no other whitespace, and a lenient split is how request
 * smuggling starts. Immutable.
 */
record HttpRequestLine(String method, String target, HttpVersion version) {

    static HttpRequestLine parse(String line) throws HandshakeException {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 < 0 || sp2 < 0) {
            throw new HandshakeException(
                    400, "The request line " + HttpChars.quote(line) + " is not of the form 'METHOD target HTTP/1.1'.");
        }
        String method = line.substring(0, sp1);
        if (!HttpChars.isToken(method)) {
            throw new HandshakeException(400, "The request method " + HttpChars.quote(method) + " is not a token.");
        }
        String target = line.substring(sp1 + 1, sp2);
        if (target.isEmpty()) {
            throw new HandshakeException(400, "The request line has an empty target.");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new HandshakeException(
                        400,
                        "The request target contains " + HttpChars.describe(c) + ", which is not allowed in a URI.");
            }
        }
        String version = line.substring(sp2 + 1);
        HttpVersion parsed = parseVersion(version);
        if (parsed == null) {
            throw new HandshakeException(
                    400, "The request line ends with " + HttpChars.quote(version) + " instead of an HTTP version.");
        }
        if (parsed.major() != 1) {
            // RFC 9110 §15.6.6: 505 for a major version the server does not support.
            throw new HandshakeException(505, parsed + " is not supported; only HTTP/1.x is.");
        }
        return new HttpRequestLine(method, target, parsed);
    }

    /** {@code HTTP-version = "HTTP/" DIGIT "." DIGIT} (RFC 9112 §2.3), or {@code null}. */
    static HttpVersion parseVersion(String s) {
        if (s.length() != 8 || !s.startsWith("HTTP/") || s.charAt(6) != '.') {
            return null;
        }
        char major = s.charAt(5);
        char minor = s.charAt(7);
        if (major < '0' || major > '9' || minor < '0' || minor > '9') {
            return null;
        }
        return new HttpVersion(major - '0', minor - '0');
    }
}
