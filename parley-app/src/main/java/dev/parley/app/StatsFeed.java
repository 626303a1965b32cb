package dev.parley.app;

import dev.parley.hub.Hub;
import dev.parley.hub.HubStats;
import dev.parley.websocket.WebSocketServer;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the server's figures once a second on the hub channel {@value #CHANNEL}, so that the
 * dashboard receives them over the hub itself, and gets the last five minutes from its history
 * when it opens. Rates are per second, computed from the counters' differences.
 */
final class StatsFeed implements AutoCloseable {
    static final String CHANNEL = "parley:stats";

    private final WebSocketServer server;
    private final Hub hub;
    private final Telemetry telemetry;
    private final ScheduledExecutorService timer;
    private long lastIn = -1;
    private long lastOut;
    private long lastBytesIn;
    private long lastBytesOut;
    private long lastDeliveries;
    private long lastPublications;
    private long lastNanos;

    StatsFeed(WebSocketServer server, Hub hub, Telemetry telemetry) {
        this.server = server;
        this.hub = hub;
        this.telemetry = telemetry;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-stats");
            t.setDaemon(true);
            return t;
        });
    }

    StatsFeed start() {
        timer.scheduleAtFixedRate(this::publish, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** One sample, as JSON; the first call only primes the rates. */
    String sample() {
        long now = System.nanoTime();
        long in = telemetry.messagesIn.sum();
        long out = telemetry.messagesOut.sum();
        long bytesIn = telemetry.bytesIn.sum();
        long bytesOut = telemetry.bytesOut.sum();
        HubStats h = hub.stats();
        double seconds = lastIn < 0 ? 1 : Math.max(1e-3, (now - lastNanos) / 1e9);
        boolean primed = lastIn >= 0;
        StringBuilder json = new StringBuilder(512);
        json.append("{\"time\":").append(System.currentTimeMillis());
        json.append(",\"connections\":").append(server.sessionCount());
        json.append(",\"hubSessions\":").append(h.sessions());
        json.append(",\"channels\":").append(h.channels());
        json.append(",\"messagesIn\":").append(primed ? Math.round((in - lastIn) / seconds) : 0);
        json.append(",\"messagesOut\":").append(primed ? Math.round((out - lastOut) / seconds) : 0);
        json.append(",\"bytesIn\":").append(primed ? Math.round((bytesIn - lastBytesIn) / seconds) : 0);
        json.append(",\"bytesOut\":").append(primed ? Math.round((bytesOut - lastBytesOut) / seconds) : 0);
        json.append(",\"publications\":")
                .append(primed ? Math.round((h.publications() - lastPublications) / seconds) : 0);
        json.append(",\"deliveries\":").append(primed ? Math.round((h.deliveries() - lastDeliveries) / seconds) : 0);
        json.append(",\"slowConsumers\":").append(h.slowConsumers());
        json.append(",\"recoveries\":").append(h.recoveries());
        json.append(",\"recoveryFailures\":").append(h.recoveryFailures());
        json.append(",\"abnormalCloses\":").append(telemetry.abnormalCloses.sum());
        json.append(",\"rejections\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : telemetry.rejections().entrySet()) {
            json.append(first ? "" : ",")
                    .append('"')
                    .append(escape(e.getKey()))
                    .append("\":")
                    .append(e.getValue());
            first = false;
        }
        json.append("}}");
        lastIn = in;
        lastOut = out;
        lastBytesIn = bytesIn;
        lastBytesOut = bytesOut;
        lastDeliveries = h.deliveries();
        lastPublications = h.publications();
        lastNanos = now;
        return json.toString();
    }

    private void publish() {
        try {
            hub.publish(CHANNEL, sample());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(StatsFeed.class).warn("stats sample failed", e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
