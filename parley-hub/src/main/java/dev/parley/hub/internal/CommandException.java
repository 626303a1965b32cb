package dev.parley.hub.internal;

import dev.parley.hub.ErrorCode;

/** A command the hub refuses, with the error code and the id to answer (0 when unknown). */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;
    private final long id;

    public CommandException(ErrorCode code, long id, String message) {
        super(message, null, false, false);
        this.code = code;
        this.id = id;
    }

    public ErrorCode code() {
        return code;
    }

    public long id() {
        return id;
    }
}
