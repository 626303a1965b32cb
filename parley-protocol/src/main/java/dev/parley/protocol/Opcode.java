package dev.parley.protocol;

/**
 * The frame opcodes defined by RFC 6455 §5.2. Reserved opcodes (0x3-0x7, 0xB-0xF) have no
 * constant: {@link #of(int)} answers {@code null} for them and the decoder fails the connection.
 */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The 4-bit value carried in the low nibble of the frame's first byte. */
    public int code() {
        return code;
    }

    /** Control frames have the high bit of the opcode set (RFC 6455 §5.5). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** Returns the opcode for a 4-bit value, or {@code null} when the value is reserved. */
    public static Opcode of(int code) {
        if (code < 0 || code > 15) {
            throw new IllegalArgumentException("opcode out of range: " + code);
        }
        return BY_CODE[code];
    }
}
