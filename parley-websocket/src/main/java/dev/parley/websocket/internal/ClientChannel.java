package dev.parley.websocket.internal;

import dev.parley.protocol.Role;
import dev.parley.protocol.connection.Connection;
import dev.parley.protocol.connection.ConnectionConfig;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.DeflateParameters;
import dev.parley.protocol.deflate.PerMessageDeflate;
import dev.parley.protocol.handshake.ClientHandshake;
import dev.parley.protocol.handshake.HandshakeException;
import dev.parley.protocol.handshake.HttpHeadParser;
import dev.parley.protocol.handshake.HttpResponse;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketException;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A client connection until its handshake completes: TCP connect, TLS if wss, the upgrade request,
 * the 101 validation, then hand-over to a {@link WebSocketChannel}. Everything within the
 * handshake timeout; every failure completes the future exceptionally with a clear message.
 */
public final class ClientChannel extends TimerWheel.Timer implements EventLoop.Handler {
    private final EventLoop loop;
    private final InetSocketAddress address;
    private final java.net.URI uri;
    private final ClientHandshake handshake;
    private final DeflateConfig compression;
    private final TlsConfig tls;
    private final WebSocketHandler handler;
    private final ConnectionConfig connectionConfig;
    private final WebSocketChannel.SessionSettings sessionSettings;
    private final long handshakeTimeoutNanos;
    private final CompletableFuture<WebSocketSession> result;
    private final HttpHeadParser<HttpResponse> parser = HttpHeadParser.forResponses();

    private PlainTransport socket;
    private Transport transport;
    private ByteBuffer request;
    private boolean done;

    public ClientChannel(
            EventLoop loop,
            InetSocketAddress address,
            java.net.URI uri,
            ClientHandshake handshake,
            DeflateConfig compression,
            TlsConfig tls,
            WebSocketHandler handler,
            ConnectionConfig connectionConfig,
            WebSocketChannel.SessionSettings sessionSettings,
            long handshakeTimeoutNanos,
            CompletableFuture<WebSocketSession> result) {
        this.loop = loop;
        this.address = address;
        this.uri = uri;
        this.handshake = handshake;
        this.compression = compression;
        this.tls = tls;
        this.handler = handler;
        this.connectionConfig = connectionConfig;
        this.sessionSettings = sessionSettings;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.result = result;
    }

    /** Starts connecting; call on the loop's thread. */
    public void start() {
        try {
            SocketChannel channel = SocketChannel.open();
            socket = new PlainTransport(channel);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            loop.timers().schedule(this, System.nanoTime() + handshakeTimeoutNanos);
            if (channel.connect(address)) {
                socket.register(loop, 0, this);
                connected();
            } else {
                socket.register(loop, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException e) {
            fail("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                socket.finishConnect();
                connected();
                return;
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                writeRequest();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                readResponse();
            }
        } catch (IOException e) {
            fail("connection to " + address + " failed: " + e.getMessage(), e);
        } catch (HandshakeException e) {
            fail("handshake with " + address + " failed: " + e.getMessage(), e);
        }
    }

    private void connected() throws IOException {
        transport =
                tls == null ? socket : TlsTransport.of(socket, tls.newClientEngine(handshake.host(), handshake.port()));
        request = handshake.request();
        writeRequest();
    }

    private void writeRequest() throws IOException {
        if (request.hasRemaining()) {
            transport.write(new ByteBuffer[] {request}, 0, 1);
        }
        transport.flushPending();
        // A request held back by a TLS handshake goes out from readResponse once the server answers.
        boolean pending = transport.hasPendingOutput() || (request.hasRemaining() && !transport.awaitsPeer());
        transport.interest(SelectionKey.OP_READ | (pending ? SelectionKey.OP_WRITE : 0));
    }

    private void readResponse() throws IOException, HandshakeException {
        ByteBuffer buffer = loop.readBuffer();
        while (!done) {
            int n = transport.read(buffer.clear());
            if (n < 0) {
                fail("the server at " + address + " closed the connection during the handshake", null);
                return;
            }
            if (n == 0 && !transport.hasBufferedInput()) {
                if (transport.hasPendingOutput() || request.hasRemaining()) {
                    writeRequest();
                }
                return;
            }
            buffer.flip();
            HttpResponse response = parser.parse(buffer);
            if (response != null) {
                upgraded(response, buffer);
                return;
            }
        }
    }

    private void upgraded(HttpResponse response, ByteBuffer leftover) throws HandshakeException {
        ClientHandshake.Accepted accepted = handshake.validate(response);
        Optional<DeflateParameters> deflate = compression == null
                ? Optional.empty()
                : PerMessageDeflate.validateResponse(accepted.extensions(), compression);
        if (compression == null && !accepted.extensions().isEmpty()) {
            throw HandshakeException.clientSide("the server accepted extensions that were not offered");
        }
        Connection connection = deflate.isPresent()
                ? new Connection(Role.CLIENT, connectionConfig, deflate.get(), compression)
                : new Connection(Role.CLIENT, connectionConfig);
        done = true;
        loop.timers().cancel(this);
        ByteBuffer rest = null;
        if (leftover.hasRemaining()) {
            rest = ByteBuffer.allocate(leftover.remaining()).put(leftover).flip();
        }
        WebSocketChannel session = new WebSocketChannel(
                loop,
                transport,
                connection,
                handler,
                sessionSettings,
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
                uri.getRawQuery(),
                response.headers(),
                accepted.subprotocol(),
                deflate.isPresent(),
                WebSocketChannel.Owner.NONE);
        // WebSocketClient.connect promises onOpen before the future completes: code chained on the
        // future may rely on what the handler set up in onOpen.
        session.start(null, rest);
        result.complete(session);
    }

    @Override
    protected void expired(long nowNanos) {
        fail("no WebSocket handshake with " + address + " within the handshake timeout", null);
    }

    private void fail(String message, Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        loop.timers().cancel(this);
        if (transport != null) {
            transport.close();
        } else if (socket != null) {
            socket.close();
        }
        result.completeExceptionally(new WebSocketException(1006, message, cause));
    }
}
