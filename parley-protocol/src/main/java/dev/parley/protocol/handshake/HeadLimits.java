package dev.parley.protocol.handshake;

/**
 * Size limits for an HTTP head, checked by {@link HttpHeadParser} byte by byte as input arrives, so
 * a peer that never ends its head costs at most these many bytes.
 *
 * <table>
 *   <caption>Defaults and the status a server answers with when a limit is exceeded</caption>
 *   <tr><th>limit</th><th>default</th><th>exceeded</th></tr>
 *   <tr><td>{@link #maxStartLine()}</td><td>8 KiB</td><td>414 URI Too Long</td></tr>
 *   <tr><td>{@link #maxHeaderSection()}</td><td>16 KiB</td><td>431 Request Header Fields Too Large</td></tr>
 *   <tr><td>{@link #maxHeaderFields()}</td><td>100 fields</td><td>431 Request Header Fields Too Large</td></tr>
 * </table>
 *
 * <p>A client parsing a response reports the same limits as a client-side failure (status 0).
 *
 * @param maxStartLine the longest request or status line, in bytes, counting its CRLF and any
 *     empty lines before it
 * @param maxHeaderSection the most bytes of field lines, counting each CRLF and the empty line
 *     that ends the head
 * @param maxHeaderFields the most field lines
 */
public record HeadLimits(int maxStartLine, int maxHeaderSection, int maxHeaderFields) {
    /** 8 KiB, as most servers allow (RFC 9112 §3 recommends at least 8000 octets). */
    public static final int DEFAULT_MAX_START_LINE = 8 * 1024;
    /** 16 KiB. */
    public static final int DEFAULT_MAX_HEADER_SECTION = 16 * 1024;
    /** 100 fields. */
    public static final int DEFAULT_MAX_HEADER_FIELDS = 100;

    private static final HeadLimits DEFAULTS =
            new HeadLimits(DEFAULT_MAX_START_LINE, DEFAULT_MAX_HEADER_SECTION, DEFAULT_MAX_HEADER_FIELDS);

    /** Validates the values: a request line needs at least 16 bytes, a section at least 2. */
    public HeadLimits {
        if (maxStartLine < 16) {
            throw new IllegalArgumentException("maxStartLine must be >= 16: " + maxStartLine);
        }
        if (maxHeaderSection < 2) {
            throw new IllegalArgumentException("maxHeaderSection must be >= 2: " + maxHeaderSection);
        }
        if (maxHeaderFields < 0) {
            throw new IllegalArgumentException("maxHeaderFields must be >= 0: " + maxHeaderFields);
        }
    }

    /** The defaults listed above. */
    public static HeadLimits defaults() {
        return DEFAULTS;
    }
}
