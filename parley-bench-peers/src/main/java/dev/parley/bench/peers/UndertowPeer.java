package dev.parley.bench.peers;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.xnio.Pooled;

/**
 * Undertow 2.4 ({@code undertow-core}, no servlet layer) with the builder's defaults: one XNIO IO
 * thread per core (at least 2) and 8 worker threads per IO thread, direct pooled buffers. Handlers
 * run on the IO thread, as Undertow's WebSocket examples do (the receive listener is called there;
 * echoing never blocks).
 *
 * <p>Changed from the defaults: message limits set to {@link PeerOptions#MAX_MESSAGE} (Undertow's
 * default is no limit); permessage-deflate ({@link PerMessageDeflateHandshake}, Undertow's default
 * level) only with {@code --deflate}.
 *
 * <p>Broadcast: Undertow's idiom, from its chat example: {@link WebSocketChannel#getPeerConnections()}
 * (every connection upgraded by the same handshake handler, so every {@code /broadcast} connection),
 * skipping the sender.
 */
final class UndertowPeer implements PeerServer {
    private Undertow server;

    @Override
    public int start(PeerOptions options) throws Exception {
        WebSocketProtocolHandshakeHandler echo = Handlers.websocket((exchange, channel) -> listen(channel, new Echo()));
        WebSocketProtocolHandshakeHandler broadcast =
                Handlers.websocket((exchange, channel) -> listen(channel, new Broadcaster()));
        if (options.deflate()) {
            echo.addExtension(new PerMessageDeflateHandshake());
            broadcast.addExtension(new PerMessageDeflateHandshake());
        }
        Undertow.Builder builder = Undertow.builder()
                .setHandler(Handlers.path().addExactPath("/echo", echo).addExactPath("/broadcast", broadcast));
        if (options.tls()) {
            builder.addHttpsListener(
                    options.port(), PeerOptions.HOST, PemTls.context(options.tlsCert(), options.tlsKey()));
        } else {
            builder.addHttpListener(options.port(), PeerOptions.HOST);
        }
        server = builder.build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static void listen(WebSocketChannel channel, AbstractReceiveListener listener) {
        channel.getReceiveSetter().set(listener);
        channel.resumeReceives();
    }

    /** Limits shared by both listeners. */
    private abstract static class Limited extends AbstractReceiveListener {
        @Override
        protected long getMaxTextBufferSize() {
            return PeerOptions.MAX_MESSAGE;
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return PeerOptions.MAX_MESSAGE;
        }
    }

    private static final class Echo extends Limited {
        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            WebSockets.sendText(message.getData(), channel, null);
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            Pooled<ByteBuffer[]> data = message.getData();
            WebSockets.sendBinary(data.getResource(), channel, new Free(data));
        }
    }

    private static final class Broadcaster extends Limited {
        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            String text = message.getData();
            for (WebSocketChannel peer : channel.getPeerConnections()) {
                if (peer != channel && peer.isOpen()) {
                    WebSockets.sendText(text, peer, null);
                }
            }
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            Pooled<ByteBuffer[]> data = message.getData();
            ByteBuffer whole;
            try {
                whole = merge(data.getResource());
            } finally {
                data.free();
            }
            for (WebSocketChannel peer : channel.getPeerConnections()) {
                if (peer != channel && peer.isOpen()) {
                    WebSockets.sendBinary(whole.duplicate(), peer, null);
                }
            }
        }

        private static ByteBuffer merge(ByteBuffer[] parts) {
            int size = 0;
            for (ByteBuffer part : parts) {
                size += part.remaining();
            }
            ByteBuffer whole = ByteBuffer.allocate(size);
            for (ByteBuffer part : parts) {
                whole.put(part);
            }
            return whole.flip();
        }
    }

    /** Returns a received message's pooled buffers once its echo is written (or failed). */
    private record Free(Pooled<ByteBuffer[]> data) implements WebSocketCallback<Void> {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
            data.free();
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
            data.free();
        }
    }
}
