package dev.parley.websocket.internal;

import dev.parley.protocol.Role;
import dev.parley.protocol.connection.Connection;
import dev.parley.protocol.connection.ConnectionConfig;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.PerMessageDeflate;
import dev.parley.protocol.handshake.ExtensionOffer;
import dev.parley.protocol.handshake.HandshakeException;
import dev.parley.protocol.handshake.Headers;
import dev.parley.protocol.handshake.HttpHeadParser;
import dev.parley.protocol.handshake.HttpRequest;
import dev.parley.protocol.handshake.ServerHandshake;
import dev.parley.protocol.handshake.UpgradeRequest;
import dev.parley.websocket.HttpHandler;
import dev.parley.websocket.OriginPolicy;
import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery behind {@code WebSocketServer}: the loops, the acceptor, admission (connection
 * limits), routing, the WebSocket upgrade with its policies, broadcast and shutdown.
 */
public final class ServerCore implements HttpChannel.Router, WebSocketChannel.Owner {
    private static final System.Logger LOG = System.getLogger("dev.parley.websocket.server");

    /** The admission tag of an admitted connection whose peer address is unknown. */
    private static final Object NO_ADDRESS = new Object();

    /** Everything the builder gathered. */
    public record Settings(
            String host,
            int port,
            int eventLoops,
            Map<String, WebSocketHandler> routes,
            Map<String, HttpHandler> httpRoutes,
            ServerLimits limits,
            OriginPolicy originPolicy,
            List<String> subprotocols,
            DeflateConfig compression,
            TlsConfig tls,
            boolean virtualThreadHandlers,
            dev.parley.websocket.ServerObserver observer,
            Map<String, dev.parley.protocol.Limits> routeLimits) {}

    private final Settings settings;
    /** The route handlers, wrapped once for virtual threads when asked. */
    private final Map<String, WebSocketHandler> routes;
    /**
     * Each route's path, so that a session keeps the route's string rather than a copy of its own
     * (48 bytes per idle connection for a short path).
     */
    private final Map<String, String> routePaths;

    /**
     * The request fields a session does not keep: they served only the upgrade, and what came of
     * them is the session's own state ({@code isCompressed()}). Connection and Upgrade are
     * hop-by-hop fields besides (RFC 9110 §7.6.1). Sec-WebSocket-Protocol stays: applications read
     * tokens from it.
     */
    private static final String[] SPENT_FIELDS = {
        "Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions"
    };

    private final WebSocketChannel.SessionSettings sessionSettings;
    /** Immutable, so one for every session rather than one each. */
    private final ConnectionConfig connectionConfig;
    /** Routes with message limits of their own. */
    private final Map<String, ConnectionConfig> routeConfigs;

    private EventLoop[] loops;
    private Acceptor acceptor;
    private NativeIo io;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    /** Open sessions per loop, touched only on their loop's thread. */
    private final Map<EventLoop, List<WebSocketChannel>> sessions = new ConcurrentHashMap<>();

    private final AtomicInteger sessionCount = new AtomicInteger();
    private final RejectionCounters rejections = new RejectionCounters();
    private volatile boolean accepting;

    public ServerCore(Settings settings) {
        this.settings = settings;
        ServerLimits l = settings.limits();
        this.sessionSettings = new WebSocketChannel.SessionSettings(
                l.idleTimeout(),
                l.pingInterval(),
                l.pongTimeout(),
                l.closeTimeout(),
                l.maxOutboundBuffer(),
                l.overflowPolicy(),
                settings.observer());
        this.connectionConfig = ConnectionConfig.defaults().withLimits(l.protocol());
        Map<String, ConnectionConfig> perRoute = new java.util.HashMap<>();
        settings.routeLimits()
                .forEach((path, limits) ->
                        perRoute.put(path, ConnectionConfig.defaults().withLimits(limits)));
        this.routeConfigs = Map.copyOf(perRoute);
        if (settings.tls() != null) {
            settings.tls().check();
        }
        if (settings.virtualThreadHandlers()) {
            Map<String, WebSocketHandler> wrapped = new java.util.HashMap<>();
            settings.routes().forEach((path, handler) -> wrapped.put(path, VirtualThreadHandler.wrap(handler)));
            this.routes = Map.copyOf(wrapped);
        } else {
            this.routes = settings.routes();
        }
        Map<String, String> paths = new java.util.HashMap<>();
        routes.keySet().forEach(path -> paths.put(path, path));
        this.routePaths = Map.copyOf(paths);
    }

    public synchronized void start() throws IOException {
        if (loops != null) {
            throw new IllegalStateException("start in state STARTED");
        }
        io = NativeIo.find();
        InetSocketAddress bind = new InetSocketAddress(settings.host(), settings.port());
        Acceptor channel = io == null ? Acceptor.open(bind, 1024) : io.listen(bind, 1024);
        acceptor = channel;
        loops = new EventLoop[settings.eventLoops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("parley-loop-" + i, io);
            sessions.put(loops[i], new ArrayList<>());
        }
        accepting = true;
        CountDownLatch registered = new CountDownLatch(1);
        IOException[] failure = new IOException[1];
        loops[0].execute(() -> {
            try {
                channel.register(loops[0], ops -> accept());
            } catch (IOException e) {
                failure[0] = e;
            }
            registered.countDown();
        });
        try {
            registered.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        LOG.log(Level.INFO, "listening on " + address() + " (" + io() + ")");
    }

    public int port() {
        return address().getPort();
    }

    public InetSocketAddress address() {
        return acceptor.localAddress();
    }

    /** The socket layer: {@code "nio"}, or the native one's name. */
    public String io() {
        return io == null ? "nio" : io.name();
    }

    public int sessionCount() {
        return sessionCount.get();
    }

    public RejectionCounters rejections() {
        return rejections;
    }

    // ---------------------------------------------------------------------------------------------
    // Accepting

    private void accept() {
        for (int i = 0; i < 64 && accepting; i++) {
            Transport socket;
            try {
                socket = acceptor.accept();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed: " + e.getMessage());
                return;
            }
            if (socket == null) {
                return;
            }
            EventLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
            loop.execute(() -> adopt(loop, socket));
        }
    }

    private void adopt(EventLoop loop, Transport socket) {
        try {
            socket.register(loop, SelectionKey.OP_READ, ops -> {});
            Transport transport = settings.tls() == null
                    ? socket
                    : TlsTransport.of(socket, settings.tls().newServerEngine());
            HttpChannel channel = new HttpChannel(loop, transport, this, HttpHeadParser.forRequests());
            channel.tag(admit(transport.remoteAddress()));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not set up an accepted socket: " + e.getMessage());
            socket.close();
        }
    }

    /**
     * Counts the connection. The returned tag is what {@link #release} gives back: the peer's
     * address itself (already held by the socket) for an admitted connection, so that an idle one
     * costs no object here, {@link #NO_ADDRESS} without one, or a {@link Refusal} when the
     * connection is over a limit and is to be answered 503.
     */
    private Object admit(InetSocketAddress remote) {
        int total = connections.incrementAndGet();
        InetAddress address = remote == null ? null : remote.getAddress();
        int mine = address == null
                ? 0
                : perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        String refusal = null;
        if (total > settings.limits().maxConnections()) {
            refusal = "The server is at its limit of " + settings.limits().maxConnections() + " connections.";
        } else if (mine > settings.limits().maxConnectionsPerAddress()) {
            refusal = "Too many connections from your address (limit "
                    + settings.limits().maxConnectionsPerAddress() + ").";
        }
        if (refusal != null) {
            return new Refusal(address, refusal);
        }
        return address == null ? NO_ADDRESS : address;
    }

    private record Refusal(InetAddress address, String reason) {}

    private static InetAddress addressOf(Object admission) {
        return admission instanceof InetAddress a ? a : admission instanceof Refusal r ? r.address() : null;
    }

    /**
     * A session ended: it leaves its loop's list and gives back its admission, which {@link #admit}
     * drew from the same transport's peer address (a transport keeps that address once it has it,
     * so the session need not keep the tag).
     */
    @Override
    public void finished(WebSocketChannel session) {
        sessions.get(session.loop()).remove(session);
        sessionCount.decrementAndGet();
        InetSocketAddress remote = session.remoteAddress();
        release(remote == null ? null : remote.getAddress()); // null: admitted without an address
    }

    private void release(Object admission) {
        connections.decrementAndGet();
        InetAddress address = addressOf(admission);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Routing (HttpChannel.Router)

    @Override
    public void route(HttpChannel channel, HttpRequest request, ByteBuffer body) {
        if (channel.tag() instanceof Refusal refusal) {
            reject(channel, new HandshakeException(503, refusal.reason()), "over connection limit");
            return;
        }
        if (!accepting) {
            reject(channel, new HandshakeException(503, "The server is shutting down."), "shutting down");
            return;
        }
        String path = request.path();
        WebSocketHandler ws = routes.get(path);
        if (ws != null) {
            upgrade(channel, request, ws);
            return;
        }
        HttpHandler http = settings.httpRoutes().get(path);
        if (http != null) {
            http.handle(channel.exchange());
            return;
        }
        reject(channel, new HandshakeException(404, "Nothing is served at " + path + "."), "no route");
    }

    private void reject(HttpChannel channel, HandshakeException e, String reason) {
        channel.refuse(e, reason);
    }

    private void upgrade(HttpChannel channel, HttpRequest request, WebSocketHandler handler) {
        UpgradeRequest upgrade;
        try {
            upgrade = ServerHandshake.validate(request);
        } catch (HandshakeException e) {
            reject(channel, e, "invalid upgrade");
            return;
        }
        String origin = upgrade.origin();
        if (origin != null
                && !settings.originPolicy().allows(origin, request.headers().first("Host"))) {
            reject(
                    channel,
                    new HandshakeException(403, "The origin " + origin + " may not open a WebSocket here."),
                    "origin refused");
            return;
        }
        String subprotocol = upgrade.selectSubprotocol(settings.subprotocols());
        List<ExtensionOffer> accepted = List.of();
        PerMessageDeflate.Agreement deflate = null;
        if (settings.compression() != null) {
            Optional<PerMessageDeflate.Agreement> agreement =
                    PerMessageDeflate.accept(upgrade.extensions(), settings.compression());
            if (agreement.isPresent()) {
                deflate = agreement.get();
                accepted = List.of(deflate.response());
            }
        }
        ByteBuffer response = ServerHandshake.accept(upgrade, subprotocol, accepted, Headers.empty());
        ConnectionConfig config = routeConfigs.getOrDefault(upgrade.path(), connectionConfig);
        Connection connection = deflate == null
                ? new Connection(Role.SERVER, config)
                : new Connection(Role.SERVER, config, deflate.parameters(), settings.compression());
        ByteBuffer leftover = channel.upgrade();
        EventLoop loop = channel.loop();
        WebSocketChannel session = new WebSocketChannel(
                loop,
                channel.transport(),
                connection,
                handler,
                sessionSettings,
                routePaths.getOrDefault(upgrade.path(), upgrade.path()),
                upgrade.query(),
                request.headers().without(SPENT_FIELDS),
                subprotocol,
                deflate != null,
                this);
        sessions.get(loop).add(session);
        sessionCount.incrementAndGet();
        session.start(response, leftover);
    }

    @Override
    public void rejected(java.net.InetSocketAddress remote, int status, String reason) {
        rejections.count(status, reason);
        settings.observer().requestRejected(remote, status, reason);
    }

    @Override
    public void closed(HttpChannel channel) {
        release(channel.tag());
    }

    @Override
    public long maxRequestBody() {
        return settings.limits().maxRequestBody();
    }

    @Override
    public long handshakeTimeoutNanos() {
        return settings.limits().handshakeTimeout().toNanos();
    }

    @Override
    public long maxOutboundBuffer() {
        return settings.limits().maxOutboundBuffer();
    }

    // ---------------------------------------------------------------------------------------------
    // Broadcast and shutdown

    public int broadcast(String route, Broadcast message) {
        return broadcast(route, message, null);
    }

    /** Like {@link #broadcast(String, Broadcast)}, skipping {@code except} (the sender, typically). */
    public int broadcast(String route, Broadcast message, Object except) {
        int count = 0;
        for (EventLoop loop : loops) {
            List<WebSocketChannel> list = sessions.get(loop);
            count += list.size(); // a racy read, documented as approximate
            loop.execute(() -> {
                for (int i = 0; i < list.size(); i++) {
                    WebSocketChannel s = list.get(i);
                    if (s != except && route.equals(s.path())) {
                        s.sendBroadcast(message);
                    }
                }
            });
        }
        return count;
    }

    public void shutdown(Duration timeout) {
        EventLoop[] current;
        synchronized (this) {
            current = loops;
            if (current == null || !accepting) {
                return;
            }
            accepting = false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CountDownLatch stopped = new CountDownLatch(1);
        current[0].execute(() -> {
            try {
                acceptor.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing acceptor: " + e.getMessage());
            }
            stopped.countDown();
        });
        await(stopped, deadline);
        for (EventLoop loop : current) {
            loop.execute(() -> {
                for (WebSocketChannel s : new ArrayList<>(sessions.get(loop))) {
                    s.close(1001, "server shutting down");
                }
            });
        }
        while (sessionCount.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // polling a counter while sessions finish their close handshakes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Sessions still open past the deadline are dropped on their loops, so that each handler
        // hears onClose (1006) exactly once, before the loops stop and close every socket.
        CountDownLatch aborted = new CountDownLatch(current.length);
        for (EventLoop loop : current) {
            loop.execute(() -> {
                for (WebSocketChannel s : new ArrayList<>(sessions.get(loop))) {
                    s.abort();
                }
                aborted.countDown();
            });
        }
        await(aborted, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        for (EventLoop loop : current) {
            loop.shutdown();
        }
        for (EventLoop loop : current) {
            try {
                loop.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.log(Level.INFO, "stopped");
    }

    private static void await(CountDownLatch latch, long deadline) {
        try {
            latch.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
