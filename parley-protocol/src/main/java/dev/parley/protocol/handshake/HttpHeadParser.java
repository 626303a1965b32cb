package dev.parley.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A strict, incremental parser of one HTTP/1.x message head: a request head on a server, a response
 * head on a client. Not specific to WebSocket: any method and target are accepted.
 *
 * <p>Feed it bytes in pieces of any size with {@link #parse(ByteBuffer)}; it answers {@code null}
 * until the empty line that ends the head, then the parsed head. It consumes exactly the bytes of
 * the head, leaving whatever follows (a request body, or the first WebSocket frames right after a
 * 101) in the buffer at its position. Each byte is looked at a constant number of times, and
 * only the current line is buffered, never more than the {@link HeadLimits} allow.
 *
 * <p>Strictness, by RFC 9112: every line must end with CRLF (a bare CR or LF is an error, §2.2);
 * a field line starting with whitespace (obs-fold, §5.2) and whitespace between a field name and
 * its colon (§5.1) are errors; field names must be tokens; field values must not hold control
 * characters; bytes 0x80-0xFF in values (obs-text) are accepted and read as ISO-8859-1. Empty
 * lines before a request line are skipped (§2.2), within the start line limit. A status line
 * without a reason phrase may omit the space after the code.
 *
 * <p>Errors are {@link HandshakeException}s: for a request, status 400, 414, 431 or 505 with a
 * sentence saying what was wrong; for a response, a {@linkplain HandshakeException#clientSide
 * client-side} failure. After a result or an error, the parser must be {@link #reset()} before
 * reuse. One parser per connection; not thread-safe. The parser never keeps a reference to a
 * buffer it was given.
 *
 * @param <T> {@link HttpRequest} or {@link HttpResponse}
 */
public final class HttpHeadParser<T> {
    private enum State {
        START_LINE,
        FIELDS,
        DONE,
        FAILED
    }

    private static final int INITIAL_LINE_CAPACITY = 256;

    private final boolean request;
    private final HeadLimits limits;
    private final int maxLine;

    private State state;
    private byte[] line;
    private int lineLength;
    private boolean sawCr;
    private int startLineBytes;
    private int sectionBytes;
    private int fieldCount;
    /**
     * The fields so far, already in {@link Headers}' packed read-only form: every name and value
     * back to back, one byte per character, and where each ends. No string or list per field; the
     * head's {@code Headers} is made from these once, at its end. Made at the first field.
     */
    private byte[] fields;

    private int fieldsLength;
    private int[] fieldEnds;
    private HttpRequestLine requestLine;
    private HttpStatusLine statusLine;

    private HttpHeadParser(boolean request, HeadLimits limits) {
        this.request = request;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxLine = Math.max(limits.maxStartLine(), limits.maxHeaderSection());
        reset();
    }

    /** A parser of request heads with the default limits. */
    public static HttpHeadParser<HttpRequest> forRequests() {
        return forRequests(HeadLimits.defaults());
    }

    /** A parser of request heads with the given limits. */
    public static HttpHeadParser<HttpRequest> forRequests(HeadLimits limits) {
        return new HttpHeadParser<>(true, limits);
    }

    /** A parser of response heads with the default limits. */
    public static HttpHeadParser<HttpResponse> forResponses() {
        return forResponses(HeadLimits.defaults());
    }

    /** A parser of response heads with the given limits. */
    public static HttpHeadParser<HttpResponse> forResponses(HeadLimits limits) {
        return new HttpHeadParser<>(false, limits);
    }

    /** Forgets everything parsed so far, ready for the next head on the same connection. */
    public void reset() {
        state = State.START_LINE;
        line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxLine)];
        lineLength = 0;
        sawCr = false;
        startLineBytes = 0;
        sectionBytes = 0;
        fieldCount = 0;
        fields = null;
        fieldsLength = 0;
        fieldEnds = null;
        requestLine = null;
        statusLine = null;
    }

    /** Whether a head was returned and the parser awaits {@link #reset()}. */
    public boolean isComplete() {
        return state == State.DONE;
    }

    /**
     * Consumes bytes of the head from {@code in}, from its position up to its limit or the end of
     * the head, whichever comes first.
     *
     * @return the head once its last byte is consumed; {@code null} while more bytes are needed
     * @throws HandshakeException if the bytes are not a valid head or exceed a limit
     * @throws IllegalStateException if a head was already returned or an error thrown, and the
     *     parser was not reset since
     */
    public T parse(ByteBuffer in) throws HandshakeException {
        if (state == State.DONE || state == State.FAILED) {
            throw new IllegalStateException("parse in state " + state);
        }
        try {
            while (in.hasRemaining()) {
                byte b = in.get();
                count();
                if (sawCr) {
                    if (b != '\n') {
                        throw fail(400, "A CR is not followed by LF; lines must end with CRLF (RFC 9112 §2.2).");
                    }
                    sawCr = false;
                    T result = endOfLine();
                    if (result != null) {
                        return result;
                    }
                } else if (b == '\r') {
                    sawCr = true;
                } else if (b == '\n') {
                    throw fail(400, "A line ends with a bare LF; lines must end with CRLF (RFC 9112 §2.2).");
                } else {
                    append(b);
                }
            }
            return null;
        } catch (HandshakeException e) {
            state = State.FAILED;
            line = null;
            fields = null;
            fieldEnds = null;
            throw e;
        }
    }

    /** The bytes held for the line in progress (its buffer's capacity); for tests. */
    int bufferedBytes() {
        return line == null ? 0 : line.length;
    }

    /** Counts one byte against the limit of the part it belongs to, before it is buffered. */
    private void count() throws HandshakeException {
        if (state == State.START_LINE) {
            if (++startLineBytes > limits.maxStartLine()) {
                throw fail(
                        414,
                        (request ? "The request line" : "The status line") + " is longer than " + limits.maxStartLine()
                                + " bytes.");
            }
        } else if (++sectionBytes > limits.maxHeaderSection()) {
            throw fail(431, "The header section is longer than " + limits.maxHeaderSection() + " bytes.");
        }
    }

    private void append(byte b) throws HandshakeException {
        if (lineLength == 0 && state == State.FIELDS && fieldCount >= limits.maxHeaderFields()) {
            throw fail(431, "The head has more than " + limits.maxHeaderFields() + " header fields.");
        }
        if (lineLength == line.length) {
            // Never past maxLine: the limits above fail first, so the buffer stays bounded.
            byte[] bigger = new byte[Math.min(maxLine, line.length * 2)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        line[lineLength++] = b;
    }

    @SuppressWarnings("unchecked")
    private T endOfLine() throws HandshakeException {
        int length = lineLength;
        lineLength = 0;
        if (state == State.START_LINE) {
            if (length == 0) {
                if (request) {
                    return null; // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line
                }
                throw fail(400, "The response starts with an empty line instead of a status line.");
            }
            String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
            if (request) {
                requestLine = HttpRequestLine.parse(text);
            } else {
                statusLine = HttpStatusLine.parse(text);
            }
            state = State.FIELDS;
            return null;
        }
        if (length > 0) {
            parseField(length);
            fieldCount++;
            return null;
        }
        state = State.DONE;
        line = null;
        Headers h = Headers.packed(fields, fieldsLength, fieldEnds, fieldCount);
        fields = null;
        fieldEnds = null;
        if (request) {
            return (T) new HttpRequest(requestLine.method(), requestLine.target(), requestLine.version(), h);
        }
        return (T) new HttpResponse(statusLine.version(), statusLine.status(), statusLine.reason(), h);
    }

    private void parseField(int length) throws HandshakeException {
        int first = line[0] & 0xFF;
        if (HttpChars.isOws(first)) {
            throw fail(
                    400,
                    "A header line starts with whitespace; line folding (obs-fold) is not accepted (RFC 9112 §5.2).");
        }
        int colon = 0;
        while (colon < length && HttpChars.isTokenChar(line[colon])) {
            colon++;
        }
        if (colon == length) {
            throw fail(400, "A header line has no colon.");
        }
        int c = line[colon] & 0xFF;
        if (c != ':') {
            if (HttpChars.isOws(c)) {
                throw fail(400, "A header name is followed by whitespace before its colon (RFC 9112 §5.1).");
            }
            if (c >= 0x80) {
                throw fail(
                        400,
                        "A header name contains a non-ASCII byte 0x"
                                + Integer.toHexString(c).toUpperCase() + ".");
            }
            throw fail(400, "A header name contains " + HttpChars.describe(c) + ", which is not a token character.");
        }
        if (colon == 0) {
            throw fail(400, "A header line has an empty name.");
        }
        int start = colon + 1;
        int end = length;
        while (start < end && HttpChars.isOws(line[start])) {
            start++;
        }
        while (end > start && HttpChars.isOws(line[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int v = line[i] & 0xFF;
            if (!HttpChars.isFieldValueChar(v)) {
                throw fail(
                        400,
                        "Header " + new String(line, 0, colon, StandardCharsets.US_ASCII) + " has a control character ("
                                + HttpChars.describe(v) + ") in its value.");
            }
        }
        appendField(colon, start, end);
    }

    /** Appends a checked field line's name ({@code [0, colon)}) and value ({@code [start, end)}). */
    private void appendField(int colon, int start, int end) {
        int valueLength = end - start;
        int needed = fieldsLength + colon + valueLength;
        if (fields == null) {
            fields = new byte[Math.max(INITIAL_LINE_CAPACITY, needed)];
            fieldEnds = new int[16];
        } else if (needed > fields.length) {
            // Bounded: the section limit counts every byte appended here, and more.
            fields = Arrays.copyOf(fields, Math.max(needed, fields.length * 2));
        }
        if (2 * fieldCount + 2 > fieldEnds.length) {
            fieldEnds = Arrays.copyOf(fieldEnds, fieldEnds.length * 2);
        }
        System.arraycopy(line, 0, fields, fieldsLength, colon);
        fieldsLength += colon;
        fieldEnds[2 * fieldCount] = fieldsLength;
        System.arraycopy(line, start, fields, fieldsLength, valueLength);
        fieldsLength += valueLength;
        fieldEnds[2 * fieldCount + 1] = fieldsLength;
    }

    private HandshakeException fail(int status, String message) {
        return request ? new HandshakeException(status, message) : HandshakeException.clientSide(message);
    }
}
