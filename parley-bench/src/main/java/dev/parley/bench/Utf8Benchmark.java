package dev.parley.bench;

import dev.parley.protocol.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of validating one whole text payload with {@link Utf8Validator}, as a text message's bytes
 * are checked on arrival (RFC 6455 §8.1), against the JDK's strict decoder ({@link
 * CodingErrorAction#REPORT}) decoding into a reused {@code CharBuffer}: the usual way to validate
 * UTF-8 in Java without a validator of one's own. The baseline does more (it produces chars), but
 * it is what the validator has to beat to be worth having.
 *
 * <p>Inputs: {@code ascii} is printable ASCII only, {@code mixed} has 80% ASCII code points and
 * the rest Cyrillic, CJK and emoji (see {@link Texts#mixed}). Scores are nanoseconds per payload:
 * bytes / ns is GB/s. {@link #validatorDirect} covers a direct buffer, which the validator reads
 * through a separate path. Each result (the first invalid index, -1, or the decoder's result)
 * goes to JMH's implicit Blackhole.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Utf8Benchmark {
    @Param({"ascii", "mixed"})
    public String text;

    @Param({"4096", "65536"})
    public int size;

    private byte[] bytes;
    private ByteBuffer heap;
    private ByteBuffer direct;
    private final Utf8Validator validator = new Utf8Validator();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars;

    @Setup
    public void setup() {
        bytes = switch (text) {
            case "ascii" -> Texts.ascii(size, 7);
            case "mixed" -> Texts.mixed(size, 7);
            default -> throw new IllegalArgumentException(text);
        };
        heap = ByteBuffer.wrap(bytes);
        direct = ByteBuffer.allocateDirect(size).put(bytes).flip();
        chars = CharBuffer.allocate(size); // never more chars than bytes
    }

    @Benchmark
    public int validatorArray() {
        validator.reset();
        int bad = validator.validate(bytes, 0, bytes.length);
        return validator.isComplete() ? bad : -2;
    }

    @Benchmark
    public int validatorDirect() {
        validator.reset();
        int bad = validator.validate(direct);
        return validator.isComplete() ? bad : -2;
    }

    /** The baseline. Only the result is returned: with REPORT, an error would be a CoderResult. */
    @Benchmark
    public CoderResult jdkDecoder() {
        heap.clear();
        chars.clear();
        decoder.reset();
        CoderResult result = decoder.decode(heap, chars, true);
        return result.isError() ? result : decoder.flush(chars);
    }

    CharBuffer charsForTest() {
        return chars;
    }
}
