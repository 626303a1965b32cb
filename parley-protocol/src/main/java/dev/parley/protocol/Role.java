package dev.parley.protocol;

/**
 * Which end of the connection this endpoint is. The role decides masking (RFC 6455 §5.1: a client
 * masks every frame it sends, a server masks none) and which side of the handshake applies.
 */
public enum Role {
    CLIENT,
    SERVER;

    /** The role of the other end. */
    public Role peer() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
