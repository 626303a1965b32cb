package dev.parley.websocket.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts refused handshakes and requests by status and reason, for metrics. Thread-safe. */
public final class RejectionCounters {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one refusal. */
    public void count(int status, String reason) {
        counts.computeIfAbsent(status + " " + reason, k -> new LongAdder()).increment();
    }

    /** A sorted snapshot: "status reason" to count. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
