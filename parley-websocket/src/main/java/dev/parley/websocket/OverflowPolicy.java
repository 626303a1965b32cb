package dev.parley.websocket;

/** What a session does when a send would take its buffered output past the limit. */
public enum OverflowPolicy {
    /** Refuse the message ({@link SendResult#DROPPED}) and keep the session. */
    REFUSE,
    /** Close the session with 1008 (policy violation): a consumer this slow is let go. */
    CLOSE
}
