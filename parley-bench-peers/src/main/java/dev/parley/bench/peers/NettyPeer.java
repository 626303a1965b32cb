package dev.parley.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 on its native epoll transport, as its user guide and examples set up a server: one
 * boss thread accepting, the default worker group (2 × cores threads, Netty's default for {@link
 * MultiThreadIoEventLoopGroup}), the pooled allocator (the default), and the WebSocket example's
 * pipeline: {@link HttpServerCodec}, {@link HttpObjectAggregator} for the handshake request, {@link
 * WebSocketServerCompressionHandler} only with {@code --deflate}, {@link
 * WebSocketServerProtocolHandler} (which answers pings and closes), and {@link
 * WebSocketFrameAggregator} so that handlers see whole messages.
 *
 * <p>Echo writes each frame back without copying it and flushes once per read batch ({@code
 * channelReadComplete}), the idiom Netty recommends for throughput. Broadcast is {@link
 * ChannelGroup#writeAndFlush(Object, io.netty.channel.group.ChannelMatcher)} to every channel of
 * {@code /broadcast} but the sender: one frame, a retained duplicate per recipient.
 *
 * <p>TLS uses Netty's {@code SslHandler} with the JDK provider, as the other JVM peers do ({@code
 * SslContextBuilder} reads the PEM files itself).
 */
final class NettyPeer implements PeerServer {
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;

    @Override
    public int start(PeerOptions options) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException(
                    "Netty's native epoll transport is not available", Epoll.unavailabilityCause());
        }
        SslContext ssl = options.tls()
                ? SslContextBuilder.forServer(
                                options.tlsCert().toFile(), options.tlsKey().toFile())
                        .sslProvider(SslProvider.JDK)
                        .build()
                : null;
        ChannelGroup broadcastGroup = new DefaultChannelGroup("broadcast", GlobalEventExecutor.INSTANCE);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true) // every path is upgraded; Route picks the handler by path
                .maxFramePayloadLength(PeerOptions.MAX_MESSAGE)
                .allowExtensions(options.deflate())
                .build();
        boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory()); // default: 2 x cores
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc()));
                        }
                        p.addLast(new HttpServerCodec());
                        p.addLast(new HttpObjectAggregator(65536));
                        if (options.deflate()) {
                            p.addLast(new WebSocketServerCompressionHandler());
                        }
                        p.addLast(new WebSocketServerProtocolHandler(config));
                        p.addLast(new WebSocketFrameAggregator(PeerOptions.MAX_MESSAGE));
                        p.addLast(new Route(broadcastGroup));
                    }
                });
        listener = bootstrap.bind(PeerOptions.HOST, options.port()).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void stop() throws InterruptedException {
        if (listener != null) {
            listener.close().sync();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }

    /** Waits for the handshake, then serves the connection as echo or broadcast by its path. */
    private static final class Route extends ChannelInboundHandlerAdapter {
        private final ChannelGroup broadcastGroup;
        private boolean broadcast;
        private boolean pendingFlush;

        Route(ChannelGroup broadcastGroup) {
            this.broadcastGroup = broadcastGroup;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                String uri = handshake.requestUri();
                int query = uri.indexOf('?');
                String path = query < 0 ? uri : uri.substring(0, query);
                switch (path) {
                    case "/echo" -> broadcast = false;
                    case "/broadcast" -> {
                        broadcast = true;
                        broadcastGroup.add(ctx.channel()); // removed by the group when it closes
                    }
                    default -> ctx.close();
                }
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (broadcast) {
                // The group writes a retained duplicate to each channel and releases the frame.
                broadcastGroup.writeAndFlush(frame, ChannelMatchers.isNot(ctx.channel()));
            } else {
                ctx.write(frame, ctx.voidPromise());
                pendingFlush = true;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (pendingFlush) {
                pendingFlush = false;
                ctx.flush();
            }
            ctx.fireChannelReadComplete();
        }
    }
}
