package dev.parley.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FrameHandler} that records what the decoder reports, checking the call order on the
 * way (start, payload runs, end; never more payload than declared). A test takes the frames out
 * one by one with {@link #next()}; with {@link Check} registered, every tracked recorder must be
 * exhausted when the test ends, so nothing the decoder reported goes unasserted.
 */
final class RecordingHandler implements FrameHandler {
    private static final ThreadLocal<List<RecordingHandler>> TRACKED = new ThreadLocal<>();

    private final List<RecordedFrame> frames = new ArrayList<>();
    private int taken;

    private Opcode opcode;
    private boolean fin;
    private int rsv;
    private long length;
    private ByteArrayOutputStream payload;

    private RecordingHandler() {}

    /** A recorder that the running test must exhaust (when the test registers {@link Check}). */
    static RecordingHandler create() {
        RecordingHandler handler = new RecordingHandler();
        List<RecordingHandler> tracked = TRACKED.get();
        if (tracked != null) {
            tracked.add(handler);
        }
        return handler;
    }

    /** A recorder whose frames are compared wholesale rather than asserted one by one. */
    static RecordingHandler untracked() {
        return new RecordingHandler();
    }

    @Override
    public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {
        // Plain checks rather than AssertJ: floods of frames go through here.
        check(payload == null, "frameStart inside a frame");
        check(length >= 0, "negative declared length");
        this.opcode = opcode;
        this.fin = fin;
        this.rsv = rsv;
        this.length = length;
        this.payload = new ByteArrayOutputStream();
    }

    @Override
    public void framePayload(ByteBuffer run) {
        check(payload != null, "framePayload outside a frame");
        check(run.hasRemaining(), "empty payload run");
        check(payload.size() + (long) run.remaining() <= length, "payload beyond the declared length");
        byte[] bytes = new byte[run.remaining()];
        run.get(bytes); // consume it, as a real handler may
        payload.writeBytes(bytes);
    }

    @Override
    public void frameEnd() {
        check(payload != null, "frameEnd outside a frame");
        check(payload.size() == length, "frameEnd after " + payload.size() + " of " + length + " bytes");
        frames.add(new RecordedFrame(opcode, fin, rsv, length, payload.toByteArray(), true));
        payload = null;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Everything reported so far, a frame still in progress last (incomplete). */
    List<RecordedFrame> all() {
        List<RecordedFrame> all = new ArrayList<>(frames);
        if (payload != null) {
            all.add(new RecordedFrame(opcode, fin, rsv, length, payload.toByteArray(), false));
        }
        return all;
    }

    /** Takes the next unasserted frame. */
    RecordedFrame next() {
        List<RecordedFrame> all = all();
        assertThat(taken).as("no more frames were reported").isLessThan(all.size());
        return all.get(taken++);
    }

    /** Takes the next frame and checks it. */
    void expect(RecordedFrame expected) {
        assertThat(next()).isEqualTo(expected);
    }

    /** Takes all remaining frames: for tests that assert a count or a property of many. */
    List<RecordedFrame> drain() {
        List<RecordedFrame> all = all();
        List<RecordedFrame> rest = all.subList(taken, all.size());
        taken = all.size();
        return rest;
    }

    void assertExhausted() {
        assertThat(all().subList(taken, all().size()))
                .as("frames reported but never asserted")
                .isEmpty();
    }

    /** Fails a test that leaves frames of a tracked recorder unasserted. */
    static final class Check implements BeforeEachCallback, AfterEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            TRACKED.set(new ArrayList<>());
        }

        @Override
        public void afterEach(ExtensionContext context) {
            List<RecordingHandler> tracked = TRACKED.get();
            TRACKED.remove();
            if (context.getExecutionException().isEmpty()) {
                tracked.forEach(RecordingHandler::assertExhausted);
            }
        }
    }
}
