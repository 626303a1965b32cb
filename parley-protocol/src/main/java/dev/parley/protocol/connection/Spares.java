package dev.parley.protocol.connection;

/**
 * Receiving state lent out by connections that rest between messages, kept per thread.
 *
 * <p>A connection needs its {@link Inbound} and frame decoder only while a frame or a fragmented
 * message is under way. Between messages, which is where an idle connection spends its life, that
 * state is the same for every connection, so a connection gives it back here at the end of {@link
 * Connection#receive} and takes one again at the start of the next. A server with many idle
 * connections then holds one set per thread instead of one per connection (about 150 bytes each),
 * and a busy one allocates nothing: the set a read gives back is the one the next read takes.
 *
 * <p>A connection is used by one thread at a time, and a set taken from this thread's stack is
 * owned by the taker alone until given back, so no synchronization is needed. Connections that
 * inflate (permessage-deflate) keep their own: the inflater's window is state of the stream.
 */
final class Spares {
    /** Enough for the connections one read can nest (a handler feeding another connection). */
    private static final int CAPACITY = 8;

    private static final ThreadLocal<Spares> MINE = ThreadLocal.withInitial(Spares::new);

    private final Inbound[] stack = new Inbound[CAPACITY];
    private int size;

    private Spares() {}

    /** A set for {@code connection}: a spare readied for it, or a new one. */
    static Inbound take(Connection connection, ConnectionConfig config) {
        Spares mine = MINE.get();
        if (mine.size == 0) {
            return new Inbound(connection, config, null);
        }
        Inbound spare = mine.stack[--mine.size];
        mine.stack[mine.size] = null;
        spare.reuse(connection, config);
        return spare;
    }

    /** Gives back a set {@link Inbound#atRest() at rest}; dropped if this thread holds enough. */
    static void give(Inbound inbound) {
        inbound.detach();
        Spares mine = MINE.get();
        if (mine.size < CAPACITY) {
            mine.stack[mine.size++] = inbound;
        }
    }
}
