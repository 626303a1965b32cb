package dev.parley.hub.client;

import dev.parley.hub.ErrorCode;

/** The server answered a command with an error (docs/PROTOCOL.md, "Errors"). */
public final class HubErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public HubErrorException(ErrorCode code, String message) {
        super(code.wireName() + " (" + code.code() + "): " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
