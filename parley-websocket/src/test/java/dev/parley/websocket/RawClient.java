package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import dev.parley.protocol.frame.FrameDecoder;
import dev.parley.protocol.frame.FrameEncoder;
import dev.parley.protocol.frame.FrameHandler;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket and HTTP/1.1 client on a blocking {@link Socket}, written for misbehaving: it sends
 * exactly the bytes a test gives it and reads the server's answer raw. Every read has a timeout, so
 * a server that never answers fails the test instead of hanging it.
 */
final class RawClient implements AutoCloseable {
    /** The key of RFC 6455 §1.3 and the accept value the server must derive from it. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    final Socket socket;
    final int port;
    private final InputStream in;
    private final OutputStream out;
    private final FrameEncoder encoder = new FrameEncoder(Role.CLIENT);
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, new Limits(1 << 24, 1 << 24, 1 << 16));
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;

    /** A frame from the server. */
    record Frame(Opcode opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            assertThat(opcode).isEqualTo(Opcode.CLOSE);
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return opcode + (fin ? "" : " (not fin)") + " " + payload.length + " bytes";
        }
    }

    /** An HTTP response: status, headers by lower-case name, and the Content-Length body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        boolean connectionClose() {
            String connection = header("Connection");
            if (connection == null) {
                return false;
            }
            for (String option : connection.split(",")) {
                if (option.trim().equalsIgnoreCase("close")) {
                    return true;
                }
            }
            return false;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawClient(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.port = port;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Connects with a small receive buffer when {@code receiveBuffer > 0}, to stall the server sooner. */
    static RawClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new RawClient(socket, port);
    }

    /** Connects and completes a WebSocket handshake on {@code path}, asserting the 101. */
    static RawClient open(int port, String path) throws IOException {
        return open(port, path, 0);
    }

    static RawClient open(int port, String path, int receiveBuffer) throws IOException {
        RawClient client = connect(port, receiveBuffer);
        client.send(upgradeRequest(path, port));
        Response response = client.readHead();
        assertThat(response.status()).as("handshake status").isEqualTo(101);
        assertThat(response.header("Sec-WebSocket-Accept")).isEqualTo(ACCEPT);
        return client;
    }

    /** A valid upgrade request with the fixed key; {@code extra} lines are added as they are. */
    static String upgradeRequest(String path, int port, String... extra) {
        StringBuilder request = new StringBuilder()
                .append("GET ")
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(port)
                .append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(KEY)
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String line : extra) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    RawClient send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    RawClient send(ByteBuffer bytes) throws IOException {
        byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        return send(b);
    }

    /** A masked frame, as a client must send it. */
    static byte[] frame(Opcode opcode, boolean fin, byte[] payload) {
        ByteBuffer frame = new FrameEncoder(Role.CLIENT).encode(opcode, fin, 0, ByteBuffer.wrap(payload));
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        return b;
    }

    RawClient sendFrame(Opcode opcode, boolean fin, byte[] payload) throws IOException {
        return send(encoder.encode(opcode, fin, 0, ByteBuffer.wrap(payload)));
    }

    RawClient sendText(String text) throws IOException {
        return sendFrame(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    RawClient sendClose(int code, String reason) throws IOException {
        return sendFrame(Opcode.CLOSE, true, closePayload(code, reason));
    }

    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /** Reads more bytes into the buffer; -1 at end of stream. */
    private int fill() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /** Reads a response head (status line and headers), leaving whatever follows buffered. */
    Response readHead() throws IOException {
        for (int guard = 0; guard < 10_000; guard++) {
            for (int i = start; i + 3 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    String head = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 4;
                    return parseHead(head);
                }
            }
            if (fill() < 0) {
                throw new EOFException("end of stream inside a response head");
            }
        }
        throw new AssertionError("no response head");
    }

    private static Response parseHead(String head) {
        String[] lines = head.split("\r\n");
        assertThat(lines[0]).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Response(status, headers, new byte[0]);
    }

    /** Reads a whole response with a Content-Length body (or none). */
    Response readResponse() throws IOException {
        Response head = readHead();
        String length = head.header("Content-Length");
        int n = length == null ? 0 : Integer.parseInt(length);
        return new Response(head.status(), head.headers(), readExactly(n));
    }

    byte[] readExactly(int n) throws IOException {
        while (end - start < n) {
            if (fill() < 0) {
                throw new EOFException("end of stream after " + (end - start) + " of " + n + " bytes");
            }
        }
        byte[] b = java.util.Arrays.copyOfRange(buf, start, start + n);
        start += n;
        return b;
    }

    /** Reads one CRLF-terminated line (for chunked bodies), without its CRLF. */
    String readLine() throws IOException {
        for (int guard = 0; guard < 10_000; guard++) {
            for (int i = start; i + 1 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 2;
                    return line;
                }
            }
            if (fill() < 0) {
                throw new EOFException("end of stream inside a line");
            }
        }
        throw new AssertionError("no line");
    }

    /** The next frame from the server, waiting up to the read timeout. */
    Frame readFrame() throws IOException {
        for (int guard = 0; frames.isEmpty() && guard < 100_000; guard++) {
            if (start < end) {
                decodeBuffered();
            } else if (fill() < 0) {
                throw new EOFException("end of stream while waiting for a frame");
            }
        }
        assertThat(frames).as("a frame").isNotEmpty();
        return frames.poll();
    }

    /** The next frame that is not a ping (pings are recorded, not answered). */
    Frame readFrameSkippingPings() throws IOException {
        for (int i = 0; i < 1000; i++) {
            Frame f = readFrame();
            if (f.opcode() != Opcode.PING) {
                return f;
            }
        }
        throw new AssertionError("only pings");
    }

    private void decodeBuffered() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buf, start, end - start);
        start = end;
        try {
            decoder.decode(bytes, collector);
        } catch (ProtocolException e) {
            throw new IOException("the server sent a bad frame: " + e.getMessage(), e);
        }
    }

    private final FrameHandler collector = new FrameHandler() {
        private Opcode opcode;
        private boolean fin;
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        @Override
        public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {
            this.opcode = opcode;
            this.fin = fin;
            payload.reset();
        }

        @Override
        public void framePayload(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            payload.writeBytes(b);
        }

        @Override
        public void frameEnd() {
            frames.add(new Frame(opcode, fin, payload.toByteArray()));
        }
    };

    /**
     * Waits for the server to close the connection (end of stream or reset), decoding any frames
     * that arrive first (see {@link #framesReceived}). False if it stays open for {@code within}.
     */
    boolean awaitClosedByServer(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            for (int guard = 0; guard < 1_000_000; guard++) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (start == end) {
                    start = 0;
                    end = 0;
                }
                int n = fill();
                if (n < 0) {
                    return true;
                }
                decodeQuietly();
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed all the same
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            }
        }
    }

    private void decodeQuietly() {
        try {
            decodeBuffered();
        } catch (IOException e) {
            start = end; // not frames (an HTTP body, say): irrelevant once closing
        }
    }

    /** Frames decoded but not yet taken, for example those read by {@link #awaitClosedByServer}. */
    List<Frame> framesReceived() {
        List<Frame> list = new ArrayList<>(frames);
        frames.clear();
        return list;
    }

    /** Whether nothing at all arrives within {@code quiet} (the connection stays open and silent). */
    boolean silentFor(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            return fill() == 0 && start == end;
        } catch (SocketTimeoutException e) {
            return start == end;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
