package dev.parley.protocol.frame;

import java.security.SecureRandom;
import java.util.function.IntSupplier;

/**
 * Masking keys for client frames. RFC 6455 §5.3 asks for keys that are unpredictable, "derived
 * from a strong source of entropy", so that a script cannot choose the bytes a proxy sees. Keys
 * come from one process-wide {@link SecureRandom}, fetched 64 at a time so that a key costs an
 * array read rather than a call into the generator.
 *
 * <p>Not thread-safe: one instance per encoder.
 */
public final class MaskKeys implements IntSupplier {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BATCH = 64;

    private final byte[] batch = new byte[BATCH * 4];
    private int next = BATCH;

    /** Returns a fresh key, never zero (a zero key would leave the payload in clear). */
    @Override
    public int getAsInt() {
        while (true) {
            if (next == BATCH) {
                RANDOM.nextBytes(batch);
                next = 0;
            }
            int i = next++ * 4;
            int key = (batch[i] & 0xFF) << 24
                    | (batch[i + 1] & 0xFF) << 16
                    | (batch[i + 2] & 0xFF) << 8
                    | (batch[i + 3] & 0xFF);
            if (key != 0) {
                return key;
            }
        }
    }
}
