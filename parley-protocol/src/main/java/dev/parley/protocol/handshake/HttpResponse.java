package dev.parley.protocol.handshake;

import java.util.Objects;

/**
 * The head of an HTTP/1.x response: status line and header fields (RFC 9112 §4, §5). Immutable and
 * safe to share; the headers are a read-only copy of those given.
 *
 * @param version the protocol version
 * @param status the three-digit status code
 * @param reason the reason phrase, possibly empty; clients should ignore it (RFC 9112 §4)
 * @param headers the header fields in order
 */
public record HttpResponse(HttpVersion version, int status, String reason, Headers headers) {
    public HttpResponse {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status out of range 100-599: " + status);
        }
        headers = headers.readOnlyCopy();
    }

    /** The standard reason phrase for the statuses this package sends, else {@code "Error"}. */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 414 -> "URI Too Long";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status < 400 ? "Status" : "Error";
        };
    }

    /** The status line, for logs. */
    @Override
    public String toString() {
        return version + " " + status + " " + reason;
    }
}
