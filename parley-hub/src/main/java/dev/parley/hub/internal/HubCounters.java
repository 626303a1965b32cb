package dev.parley.hub.internal;

import java.util.concurrent.atomic.LongAdder;

/** The hub's running totals, written from every event loop. */
public final class HubCounters {
    public final LongAdder commands = new LongAdder();
    public final LongAdder publications = new LongAdder();
    public final LongAdder deliveries = new LongAdder();
    public final LongAdder recoveries = new LongAdder();
    public final LongAdder recoveryFailures = new LongAdder();
    public final LongAdder slowConsumers = new LongAdder();
    public final LongAdder errors = new LongAdder();
}
