package dev.parley.hub;

/**
 * The hub's counters at one moment: gauges (sessions, channels) and totals since start.
 *
 * @param sessions connected sessions now
 * @param channels channels with subscribers on this node now
 * @param commands commands received
 * @param publications publications accepted from clients and server code
 * @param deliveries publications pushed to subscribers
 * @param recoveries subscriptions that recovered what they missed
 * @param recoveryFailures subscriptions that asked to recover and could not
 * @param slowConsumers sessions disconnected for falling behind
 * @param errors commands answered with an error
 */
public record HubStats(
        int sessions,
        int channels,
        long commands,
        long publications,
        long deliveries,
        long recoveries,
        long recoveryFailures,
        long slowConsumers,
        long errors) {}
