package dev.parley.bench;

import dev.parley.protocol.Event;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import dev.parley.protocol.connection.Connection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of {@link Connection#receive(ByteBuffer, Consumer)} on a server for one masked 32-byte text
 * message, end to end: decoding, unmasking, UTF-8 validation, assembling the message, building the
 * {@code String} and the {@link Event.Text}, which goes to a Blackhole.
 *
 * <p><b>Resetting the input.</b> Receiving unmasks the buffer in place, and unlike {@link
 * FrameDecodeBenchmark} the payload cannot be left to alternate: masked bytes are not valid UTF-8
 * and would fail the connection. So each invocation first copies the pristine 38 wire bytes back
 * with {@code System.arraycopy}; {@link #restoreOnly} measures that copy alone, to be subtracted.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConnectionBenchmark {
    static final String MESSAGE = "{\"op\":\"pub\",\"ch\":\"room7\",\"n\":42}"; // 32 bytes of ASCII

    private final Connection connection = new Connection(Role.SERVER);
    private byte[] pristine;
    private byte[] wire;
    private ByteBuffer in;
    private Consumer<Event> sink;

    @Setup
    public void setup(Blackhole blackhole) {
        pristine = Frames.clientFrames(Opcode.TEXT, MESSAGE.getBytes(StandardCharsets.UTF_8), 1);
        wire = pristine.clone();
        in = ByteBuffer.wrap(wire);
        sink = blackhole::consume;
    }

    @Benchmark
    public void receiveText() {
        System.arraycopy(pristine, 0, wire, 0, pristine.length);
        in.clear();
        connection.receive(in, sink);
    }

    /** The baseline: the input reset that {@link #receiveText} includes. */
    @Benchmark
    public ByteBuffer restoreOnly() {
        System.arraycopy(pristine, 0, wire, 0, pristine.length);
        return in.clear();
    }

    void sinkForTest(Consumer<Event> events) {
        sink = events;
    }

    Connection connectionForTest() {
        return connection;
    }
}
