package dev.parley.app;

import dev.parley.hub.Hub;
import dev.parley.hub.HubStats;
import dev.parley.websocket.ServerObserver;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's figures and audit trail: binds the WebSocket server's {@link ServerObserver} and the
 * hub's counters to Micrometer (served at /metrics in Prometheus text format), and writes one log
 * line per refused request and per abnormal close, with the remote address and the reason.
 *
 * <p>Hot-path events only add to {@link LongAdder}s; Micrometer reads them when scraped.
 */
final class Telemetry implements ServerObserver {
    /** The audit trail: its own logger, so that operators can route it apart. */
    private static final Logger AUDIT = LoggerFactory.getLogger("parley.audit");

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder abnormalCloses = new LongAdder();
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();

    Telemetry() {
        counter("parley.websocket.messages.received", "WebSocket messages received", messagesIn);
        counter("parley.websocket.messages.sent", "WebSocket messages queued for sending", messagesOut);
        counter("parley.websocket.bytes.received", "bytes read from WebSocket connections", bytesIn);
        counter("parley.websocket.bytes.sent", "bytes written to WebSocket connections", bytesOut);
        counter("parley.websocket.closes.abnormal", "sessions that ended without a normal close", abnormalCloses);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Adds the server's and the hub's gauges and counters, read when scraped. */
    void bind(WebSocketServer server, Hub hub) {
        Gauge.builder("parley.websocket.sessions", server, WebSocketServer::sessionCount)
                .description("open WebSocket sessions")
                .register(registry);
        Gauge.builder("parley.hub.sessions", hub, h -> h.stats().sessions())
                .description("connected hub sessions")
                .register(registry);
        Gauge.builder("parley.hub.channels", hub, h -> h.stats().channels())
                .description("channels with subscribers")
                .register(registry);
        hubCounter(hub, "parley.hub.commands", "hub commands received", HubStats::commands);
        hubCounter(hub, "parley.hub.publications", "publications accepted", HubStats::publications);
        hubCounter(hub, "parley.hub.deliveries", "publications pushed to subscribers", HubStats::deliveries);
        hubCounter(hub, "parley.hub.recoveries", "subscriptions that recovered what they missed", HubStats::recoveries);
        hubCounter(hub, "parley.hub.recovery.failures", "recoveries refused", HubStats::recoveryFailures);
        hubCounter(
                hub, "parley.hub.slow.consumers", "sessions disconnected for falling behind", HubStats::slowConsumers);
        hubCounter(hub, "parley.hub.errors", "commands answered with an error", HubStats::errors);
    }

    /** Refusals so far, by "status reason". */
    Map<String, Long> rejections() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejections.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void requestRejected(InetSocketAddress remote, int status, String reason) {
        String key = status + " " + reason;
        rejections
                .computeIfAbsent(key, k -> {
                    LongAdder adder = new LongAdder();
                    FunctionCounter.builder("parley.websocket.rejections", adder, LongAdder::sum)
                            .description("refused handshakes and requests")
                            .tag("status", Integer.toString(status))
                            .tag("reason", reason)
                            .register(registry);
                    return adder;
                })
                .increment();
        AUDIT.info("event=request_rejected remote={} status={} reason=\"{}\"", address(remote), status, reason);
    }

    @Override
    public void sessionClosed(WebSocketSession session, int code, String reason, boolean clean) {
        if (!clean || (code != 1000 && code != 1001 && code != 1005)) {
            abnormalCloses.increment();
            AUDIT.info(
                    "event=abnormal_close remote={} path={} code={} clean={} reason=\"{}\"",
                    address(session.remoteAddress()),
                    session.path(),
                    code,
                    clean,
                    reason);
        }
    }

    @Override
    public void messageReceived() {
        messagesIn.increment();
    }

    @Override
    public void messageSent() {
        messagesOut.increment();
    }

    @Override
    public void bytesReceived(long bytes) {
        bytesIn.add(bytes);
    }

    @Override
    public void bytesSent(long bytes) {
        bytesOut.add(bytes);
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }

    private void counter(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum)
                .description(description)
                .register(registry);
    }

    private void hubCounter(
            Hub hub, String name, String description, java.util.function.ToLongFunction<HubStats> read) {
        ToDoubleFunction<Hub> f = h -> read.applyAsLong(h.stats());
        FunctionCounter.builder(name, hub, f).description(description).register(registry);
    }

    private static String address(InetSocketAddress a) {
        return a == null ? "-" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
