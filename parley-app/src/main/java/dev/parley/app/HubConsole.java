package dev.parley.app;

import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;
import dev.parley.hub.client.ConnectionState;
import dev.parley.hub.client.HistoryPage;
import dev.parley.hub.client.HubClient;
import dev.parley.hub.client.HubErrorException;
import dev.parley.hub.client.Subscription;
import dev.parley.hub.client.SubscriptionHandler;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code parley client} against a hub: the Java hub client driven from the terminal. Commands:
 * /sub CHANNEL, /unsub CHANNEL, /pub CHANNEL DATA, /presence CHANNEL, /history CHANNEL [N],
 * /ping, /quit; a plain line is published to the channel subscribed last. Connection changes are
 * printed as they happen ("* reconnecting in 420 ms").
 */
final class HubConsole {
    private final PrintWriter out;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private String current;

    HubConsole(PrintWriter out) {
        this.out = out;
    }

    int run(URI url, String token, BufferedReader in, boolean interactive, int connectTimeout) throws Exception {
        try (HubClient client = HubClient.builder(url)
                .token(token)
                .client("parley-cli", "0.1.0")
                .build()) {
            client.onState(change ->
                    out.println("* " + describe(change.state(), change.code(), change.reason(), change.delayMillis())));
            out.println("connecting to " + url + " ...");
            try {
                client.connect().get(connectTimeout, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot connect to the hub at " + url + ": "
                        + e.getCause().getMessage());
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "no answer from the hub at " + url + " within " + connectTimeout + " s");
            }
            out.println("connected as " + client.clientId() + "; /help lists the commands");
            while (client.state() != ConnectionState.CLOSED) {
                if (interactive) {
                    out.print((current == null ? "" : "#" + current) + "> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null || line.equals("/quit")) {
                    break;
                }
                if (!line.isBlank()) {
                    command(client, line.strip());
                }
            }
            return client.state() == ConnectionState.CLOSED ? 1 : 0;
        }
    }

    private void command(HubClient client, String line) {
        String[] parts = line.split("\\s+", 3);
        try {
            switch (parts[0]) {
                case "/help" ->
                    out.println(
                            "/sub CH  /unsub CH  /pub CH DATA  /presence CH  /history CH [N]  /ping  /quit; a plain line publishes to the last channel subscribed");
                case "/sub" -> subscribe(client, arg(parts, 1));
                case "/unsub" -> {
                    Subscription s = subscriptions.remove(arg(parts, 1));
                    if (s != null) {
                        await(s.unsubscribe());
                        out.println("* unsubscribed from " + s.channel());
                    }
                }
                case "/pub" -> publish(client, arg(parts, 1), arg(parts, 2));
                case "/presence" -> {
                    var clients = await(client.presence(arg(parts, 1)));
                    out.println("* " + clients.size() + " here: "
                            + clients.stream().map(HubConsole::who).collect(Collectors.joining(", ")));
                }
                case "/history" -> {
                    int n = parts.length > 2 ? Integer.parseInt(parts[2]) : 20;
                    HistoryPage page = await(client.history(arg(parts, 1), n));
                    for (Publication p : page.publications()) {
                        print(p);
                    }
                    out.println("* latest offset " + page.top().offset() + " (epoch "
                            + page.top().epoch() + ")");
                }
                case "/ping" ->
                    out.printf("* round trip %.2f ms%n", await(client.ping()).toNanos() / 1e6);
                default -> {
                    if (line.startsWith("/")) {
                        out.println("unknown command " + parts[0] + "; /help lists them");
                    } else if (current == null) {
                        out.println("subscribe to a channel first (/sub chat:lobby), or /pub CHANNEL DATA");
                    } else {
                        publish(client, current, line);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            out.println("! " + e.getMessage());
        } catch (RuntimeException e) {
            out.println("! " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
    }

    private void subscribe(HubClient client, String channel) {
        if (subscriptions.containsKey(channel)) {
            current = channel;
            return;
        }
        subscriptions.put(channel, client.subscribe(channel, new SubscriptionHandler() {
            @Override
            public void onPublication(Publication p) {
                print(p);
            }

            @Override
            public void onSubscribed(boolean recovered, String reason) {
                out.println("* subscribed to " + channel
                        + (recovered ? "" : " (could not recover what was missed: " + reason + ")"));
            }

            @Override
            public void onJoin(ClientInfo c) {
                out.println("* " + who(c) + " joined " + channel);
            }

            @Override
            public void onLeave(ClientInfo c) {
                out.println("* " + who(c) + " left " + channel);
            }

            @Override
            public void onError(HubErrorException e) {
                subscriptions.remove(channel);
                out.println("! " + channel + ": " + e.getMessage());
            }
        }));
        current = channel;
    }

    /** Publishes DATA as JSON if it is JSON, else as a JSON string; prints the ack when it comes. */
    private void publish(HubClient client, String channel, String data) {
        String json = data;
        try {
            client.publish(channel, json)
                    .whenComplete((ack, e) -> report(channel, ack == null ? null : ack.offset(), e));
        } catch (IllegalArgumentException notJson) {
            json = '"' + data.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            client.publish(channel, json)
                    .whenComplete((ack, e) -> report(channel, ack == null ? null : ack.offset(), e));
        }
    }

    private void report(String channel, Long offset, Throwable e) {
        if (e != null) {
            out.println("! not published in " + channel + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } else {
            out.println("* published in " + channel + " at offset " + offset);
        }
    }

    private void print(Publication p) {
        String from = p.info() == null ? "server" : who(p.info());
        out.println("< [" + p.channel() + " #" + p.offset() + "] " + from + ": " + p.data());
    }

    private static String who(ClientInfo c) {
        return (c.user().isEmpty() ? c.client() : c.user());
    }

    private static String arg(String[] parts, int i) {
        if (parts.length <= i) {
            throw new IllegalArgumentException("missing argument; /help lists the commands");
        }
        return parts[i];
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no reply within 15 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    static String describe(ConnectionState state, int code, String reason, long delay) {
        return switch (state) {
            case CONNECTING -> "connecting";
            case CONNECTED -> "connected";
            case DISCONNECTED -> "disconnected (" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
            case RECONNECTING -> "reconnecting in " + Duration.ofMillis(delay).toMillis() + " ms";
            case CLOSED -> "closed (" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
        };
    }
}
