package dev.parley.protocol.handshake;

/**
 * A parsed status line, {@code HTTP-version SP status-code SP [reason-phrase]} (RFC 9112 §4).
 * The space after the code is optional when there is no reason, as servers commonly omit it.
 * Immutable; errors are client-side failures.
 */
record HttpStatusLine(HttpVersion version, int status, String reason) {

    static HttpStatusLine parse(String line) throws HandshakeException {
        HttpVersion version = line.length() >= 8 ? HttpRequestLine.parseVersion(line.substring(0, 8)) : null;
        if (version == null || line.length() < 12 || line.charAt(8) != ' ') {
            throw HandshakeException.clientSide(
                    "The status line " + HttpChars.quote(line) + " is not of the form 'HTTP/1.1 101 reason'.");
        }
        if (version.major() != 1) {
            throw HandshakeException.clientSide("The server answered with " + version + " instead of HTTP/1.1.");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw HandshakeException.clientSide(
                        "The status line " + HttpChars.quote(line) + " has no three-digit status code.");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 599) {
            throw HandshakeException.clientSide("The status code " + status + " is outside 100-599.");
        }
        String reason = "";
        if (line.length() > 12) {
            if (line.charAt(12) != ' ') {
                throw HandshakeException.clientSide(
                        "The status line " + HttpChars.quote(line) + " has no space after its status code.");
            }
            reason = line.substring(13);
            for (int i = 0; i < reason.length(); i++) {
                if (!HttpChars.isFieldValueChar(reason.charAt(i))) {
                    throw HandshakeException.clientSide("The reason phrase contains a control character.");
                }
            }
        }
        return new HttpStatusLine(version, status, reason);
    }
}
