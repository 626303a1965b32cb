package dev.parley.websocket.internal;

import dev.parley.protocol.handshake.HandshakeException;
import dev.parley.protocol.handshake.Headers;
import dev.parley.protocol.handshake.HttpHeadParser;
import dev.parley.protocol.handshake.HttpRequest;
import dev.parley.protocol.handshake.HttpResponse;
import dev.parley.protocol.handshake.ServerHandshake;
import dev.parley.websocket.HttpExchange;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;

/**
 * A server connection in its HTTP phase: it reads request heads (and Content-Length bodies), lets
 * the {@link Router} answer them or upgrade the connection to a WebSocket, and writes responses,
 * keeping the connection alive between requests.
 *
 * <p>Strict and bounded: the head parser enforces its limits as bytes arrive (414, 431, 400), a
 * body over the limit gets 413, chunked request bodies 501, and the whole exchange must arrive
 * within the handshake timeout (slow-drip clients are cut off). Any refusal is answered with
 * {@code Connection: close} and nothing after it is read.
 */
public final class HttpChannel extends TimerWheel.Timer implements EventLoop.Handler, EventLoop.Flushable {
    private static final System.Logger LOG = System.getLogger(HttpChannel.class.getName());

    private final EventLoop loop;
    private final Transport transport;
    private final Router router;
    private final HttpHeadParser<HttpRequest> parser;

    private final OutboundQueue writeQueue = new OutboundQueue();
    private HttpRequest request;
    private ByteBuffer body;
    private ByteBuffer pending; // bytes read after the current request, kept only while handling
    private boolean handling;
    private boolean closeAfterWrite;
    private boolean flushScheduled;
    private boolean closed;
    private boolean upgraded;
    private Exchange exchange;
    private Object tag;
    /** A response was sent on this connection. */
    private boolean servedOne;
    /** Bytes of a next request arrived since the last response. */
    private boolean partial;

    /** Decides what each request becomes. */
    public interface Router {
        /**
         * Handles a complete request: answer it through the exchange, or call {@link
         * HttpChannel#upgrade} to hand the socket to a WebSocket session.
         */
        void route(HttpChannel channel, HttpRequest request, ByteBuffer body);

        /** Counts a refusal, by status and a short reason such as "origin refused". */
        void rejected(InetSocketAddress remote, int status, String reason);

        /** Called once when the connection ends without an upgrade. */
        void closed(HttpChannel channel);

        /** Limits for the HTTP phase. */
        long maxRequestBody();

        long handshakeTimeoutNanos();

        long maxOutboundBuffer();
    }

    public HttpChannel(EventLoop loop, Transport transport, Router router, HttpHeadParser<HttpRequest> parser) {
        this.loop = loop;
        this.transport = transport;
        this.router = router;
        this.parser = parser;
        transport.attach(this);
        loop.timers().schedule(this, System.nanoTime() + router.handshakeTimeoutNanos());
    }

    public EventLoop loop() {
        return loop;
    }

    /** Something the router keeps with the connection (for example its admission state). */
    public Object tag() {
        return tag;
    }

    public void tag(Object tag) {
        this.tag = tag;
    }

    public Transport transport() {
        return transport;
    }

    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !closed && !handling) {
            read();
        }
    }

    private void read() {
        if (closed || upgraded || handling) {
            return;
        }
        ByteBuffer buffer = loop.readBuffer();
        int n;
        try {
            n = transport.read(buffer);
        } catch (IOException e) {
            close();
            return;
        }
        if (n < 0) {
            close();
            return;
        }
        partial |= n > 0;
        buffer.flip();
        process(buffer);
        if (!closed && !upgraded) {
            if (transport.hasBufferedInput() && !handling) {
                loop.execute(this::read); // TLS holds decrypted bytes the buffer had no room for
            }
            updateInterest();
        }
    }

    /** Parses requests from {@code in} until one is being handled or the bytes run out. */
    private void process(ByteBuffer in) {
        try {
            while (!closed && !handling && !upgraded && in.hasRemaining()) {
                if (request == null) {
                    request = parser.parse(in);
                    if (request == null) {
                        return; // head incomplete: the parser keeps the partial bytes, bounded
                    }
                    startBody();
                }
                if (body != null && body.hasRemaining()) {
                    int n = Math.min(body.remaining(), in.remaining());
                    body.put(in.slice(in.position(), n));
                    in.position(in.position() + n);
                    if (body.hasRemaining()) {
                        return;
                    }
                }
                dispatch(in);
            }
        } catch (HandshakeException e) {
            refuse(e, "invalid request");
        }
    }

    private void startBody() throws HandshakeException {
        Headers h = request.headers();
        if (h.contains("Transfer-Encoding")) {
            if (h.contains("Content-Length")) {
                throw new HandshakeException(
                        400, "A request may not carry both Transfer-Encoding and Content-Length (RFC 9112 §6.1).");
            }
            throw new HandshakeException(
                    501, "Request bodies with Transfer-Encoding are not supported; send a Content-Length.");
        }
        var lengths = h.all("Content-Length");
        if (lengths.isEmpty()) {
            body = null;
            return;
        }
        long length;
        try {
            String first = lengths.get(0).trim();
            for (String other : lengths) {
                if (!other.trim().equals(first)) {
                    throw new HandshakeException(400, "The request has conflicting Content-Length headers.");
                }
            }
            if (first.isEmpty() || !first.chars().allMatch(c -> c >= '0' && c <= '9') || first.length() > 18) {
                throw new NumberFormatException();
            }
            length = Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new HandshakeException(400, "Content-Length is not a valid number.");
        }
        if (length > router.maxRequestBody()) {
            throw new HandshakeException(
                    413,
                    "The request body of " + length + " bytes exceeds the limit of " + router.maxRequestBody() + ".");
        }
        // Allocated only for a declared, bounded body, and filled as bytes arrive.
        body = ByteBuffer.allocate((int) length);
    }

    private void dispatch(ByteBuffer in) {
        HttpRequest r = request;
        ByteBuffer b = body == null ? ByteBuffer.allocate(0) : body.flip();
        request = null;
        body = null;
        handling = true;
        pending = in.hasRemaining() ? copy(in) : null;
        in.position(in.limit());
        // The request is complete: a fresh timeout bounds its handling and the response's write, so
        // that a request finished just before the deadline is not cut off with its answer queued.
        loop.timers().schedule(this, System.nanoTime() + router.handshakeTimeoutNanos());
        exchange = new Exchange(r, b);
        updateInterest();
        try {
            router.route(this, r, b);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "HTTP handler failed for " + r.target(), e);
            if (exchange != null && !exchange.responded) {
                exchange.respond(500, "text/plain; charset=utf-8", "Internal server error\n");
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer in) {
        ByteBuffer c = ByteBuffer.allocate(in.remaining());
        c.put(in);
        return c.flip();
    }

    /** The exchange of the request being handled. */
    public HttpExchange exchange() {
        return exchange;
    }

    /** Answers with a refusal and closes the connection after writing it. */
    public void refuse(HandshakeException e, String reason) {
        router.rejected(remoteAddress(), e.status(), reason);
        LOG.log(Level.INFO, "refused request from " + remoteAddress() + ": " + e.status() + " " + e.getMessage());
        closeAfterWrite = true;
        handling = true;
        pending = null;
        // The refusal gets its own window to be written: the deadline may pass in this very turn.
        loop.timers().schedule(this, System.nanoTime() + router.handshakeTimeoutNanos());
        enqueue(ServerHandshake.reject(e));
    }

    /**
     * Hands the socket over: the caller builds the session around the same transport and
     * receives the bytes that followed the upgrade request.
     */
    public ByteBuffer upgrade() {
        upgraded = true;
        loop.timers().cancel(this);
        ByteBuffer rest = pending;
        pending = null;
        return rest;
    }

    private void responded(boolean keepAlive) {
        if (!keepAlive) {
            closeAfterWrite = true;
            return;
        }
        handling = false;
        exchange = null;
        servedOne = true;
        partial = pending != null;
        parser.reset();
        loop.timers().schedule(this, System.nanoTime() + router.handshakeTimeoutNanos());
        if (pending != null) {
            ByteBuffer rest = pending;
            pending = null;
            process(rest);
            if (rest.hasRemaining() && !closed) {
                pending = rest; // handling again: keep the remainder for after this response
            }
        }
        updateInterest();
    }

    void enqueue(ByteBuffer bytes) {
        if (closed) {
            return;
        }
        writeQueue.add(bytes);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.flushLater(this);
        }
    }

    @Override
    public void flush() {
        flushScheduled = false;
        if (closed || upgraded) {
            return;
        }
        try {
            writeQueue.writeTo(transport);
            transport.flushPending();
        } catch (IOException e) {
            close();
            return;
        }
        if (writeQueue.isEmpty() && !transport.hasPendingOutput() && closeAfterWrite) {
            close();
            return;
        }
        updateInterest();
    }

    private void updateInterest() {
        if (closed || upgraded) {
            return;
        }
        boolean wantWrite = !writeQueue.isEmpty() || transport.hasPendingOutput();
        int ops = (handling ? 0 : SelectionKey.OP_READ) | (wantWrite ? SelectionKey.OP_WRITE : 0);
        transport.interest(ops);
    }

    @Override
    protected void expired(long nowNanos) {
        if (closed || upgraded) {
            return;
        }
        if (exchange != null && exchange.streaming) {
            return; // a streaming response lives as long as its client
        }
        if (servedOne && !partial) {
            LOG.log(Level.DEBUG, "closing idle keep-alive connection from " + remoteAddress());
        } else {
            LOG.log(
                    Level.INFO,
                    "closing HTTP connection from " + remoteAddress()
                            + ": request not complete within the handshake timeout");
            router.rejected(remoteAddress(), 408, "handshake timeout");
        }
        close();
    }

    /** Closes the socket (not for an upgraded connection, which the session owns). */
    public void close() {
        if (closed || upgraded) {
            return;
        }
        closed = true;
        loop.timers().cancel(this);
        transport.close();
        writeQueue.clear();
        if (exchange != null) {
            exchange.closed();
        }
        router.closed(this);
    }

    // ---------------------------------------------------------------------------------------------

    private final class Exchange implements HttpExchange, HttpExchange.ChunkedResponse {
        private final HttpRequest request;
        private final ByteBuffer body;
        private boolean responded;
        private boolean streaming;
        private boolean ended;
        private boolean keepAlive;
        private Runnable onClose;

        Exchange(HttpRequest request, ByteBuffer body) {
            this.request = request;
            this.body = body;
            this.keepAlive = !request.headers().containsElement("Connection", "close");
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public ByteBuffer body() {
            return body.duplicate();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return HttpChannel.this.remoteAddress();
        }

        private void onLoop(Runnable r) {
            if (loop.inLoop()) {
                r.run();
            } else {
                loop.execute(r);
            }
        }

        @Override
        public void respond(int status, Headers headers, ByteBuffer content) {
            ByteBuffer data = Buffers.copyOf(content);
            onLoop(() -> {
                if (responded || closed) {
                    return;
                }
                responded = true;
                boolean head = request.method().equals("HEAD");
                Headers h = new Headers().addAll(headers);
                h.add("Content-Length", Integer.toString(data.remaining()));
                if (!keepAlive) {
                    h.add("Connection", "close");
                }
                enqueue(head(status, h));
                if (!head && data.hasRemaining()) {
                    enqueue(data);
                }
                responded(keepAlive);
            });
        }

        @Override
        public ChunkedResponse stream(int status, Headers headers) {
            onLoop(() -> {
                if (responded || closed) {
                    return;
                }
                responded = true;
                streaming = true;
                Headers h = new Headers().addAll(headers);
                h.add("Transfer-Encoding", "chunked");
                enqueue(head(status, h));
                updateInterest();
            });
            return this;
        }

        @Override
        public boolean write(ByteBuffer chunk) {
            if (!isOpen()) {
                return false;
            }
            if (writeQueue.bytes() + chunk.remaining() > router.maxOutboundBuffer()) {
                return false;
            }
            ByteBuffer data = Buffers.copyOf(chunk);
            if (!data.hasRemaining()) {
                return true; // an empty chunk would end the response
            }
            onLoop(() -> {
                if (closed || ended) {
                    return;
                }
                enqueue(ByteBuffer.wrap(
                        (Integer.toHexString(data.remaining()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                enqueue(data);
                enqueue(ByteBuffer.wrap(CRLF));
            });
            return true;
        }

        @Override
        public void end() {
            onLoop(() -> {
                if (closed || ended || !streaming) {
                    return;
                }
                ended = true;
                enqueue(ByteBuffer.wrap(LAST_CHUNK));
                Runnable callback = onClose;
                onClose = null;
                if (callback != null) {
                    callback.run();
                }
                responded(keepAlive);
            });
        }

        @Override
        public boolean isOpen() {
            return !closed && !ended;
        }

        @Override
        public void onClose(Runnable callback) {
            onLoop(() -> {
                if (closed || ended) {
                    callback.run();
                } else {
                    onClose = callback;
                }
            });
        }

        void closed() {
            Runnable callback = onClose;
            onClose = null;
            if (callback != null) {
                callback.run();
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    static ByteBuffer head(int status, Headers headers) {
        StringBuilder out = new StringBuilder(128)
                .append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(HttpResponse.reasonPhrase(status))
                .append("\r\n");
        for (int i = 0; i < headers.size(); i++) {
            out.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
        }
        out.append("\r\n");
        return ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
