package dev.parley.websocket.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/** A {@link Poller} on a {@link Selector}: every platform, and every client socket. */
final class NioPoller implements Poller {
    private static final System.Logger LOG = System.getLogger(NioPoller.class.getName());

    private final Selector selector;
    private final Consumer<SelectionKey> dispatch;

    NioPoller(EventLoop loop) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.dispatch = key -> {
            // Ready channels are handled inside select, as the selector finds them: no
            // selected-key set to fill, iterate and empty on every turn.
            if (!key.isValid()) {
                return;
            }
            try {
                ((EventLoop.Handler) key.attachment()).ready(key.readyOps());
            } catch (RuntimeException e) {
                loop.handlerFailed(e);
                closeQuietly(key);
            }
        };
    }

    SelectionKey register(SelectableChannel channel, int ops, EventLoop.Handler handler) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, handler);
    }

    @Override
    public int poll(long timeoutMillis) throws IOException {
        if (timeoutMillis == 0) {
            return selector.selectNow(dispatch);
        }
        return selector.select(dispatch, timeoutMillis < 0 ? 0 : timeoutMillis);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.DEBUG, "closing selector", e);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing channel", e);
        }
    }
}
