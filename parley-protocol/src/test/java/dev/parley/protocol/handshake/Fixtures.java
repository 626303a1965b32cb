package dev.parley.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Shared inputs and helpers for the handshake tests. */
final class Fixtures {
    /** The request of RFC 6455 §1.2 (with the key of §1.3), which §4.2.2 answers. */
    static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private Fixtures() {}

    static ByteBuffer bytes(String latin1) {
        return ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    static HttpRequest request(String head) throws HandshakeException {
        HttpRequest request = HttpHeadParser.forRequests().parse(bytes(head));
        if (request == null) {
            throw new AssertionError("incomplete head: " + head);
        }
        return request;
    }

    static HttpResponse response(String head) throws HandshakeException {
        HttpResponse response = HttpHeadParser.forResponses().parse(bytes(head));
        if (response == null) {
            throw new AssertionError("incomplete head: " + head);
        }
        return response;
    }

    /** The RFC request with one header line replaced ({@code null} replacement removes it). */
    static String rfcRequestWith(String linePrefix, String replacement) {
        StringBuilder out = new StringBuilder();
        for (String line : RFC_REQUEST.split("\r\n", -1)) {
            if (line.startsWith(linePrefix)) {
                if (replacement != null) {
                    out.append(replacement).append("\r\n");
                }
            } else {
                out.append(line).append("\r\n");
            }
        }
        // split keeps two trailing empty strings for the final CRLFCRLF; one CRLF too many was added
        return out.substring(0, out.length() - 2);
    }
}
