package dev.parley.hub;

/** A hook's answer to "may this client do this?": allowed, or denied with a reason the client sees. */
public record Verdict(boolean allowed, String reason) {
    public static final Verdict ALLOW = new Verdict(true, "");

    public static Verdict deny(String reason) {
        return new Verdict(false, reason);
    }
}
