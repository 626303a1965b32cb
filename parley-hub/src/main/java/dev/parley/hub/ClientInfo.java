package dev.parley.hub;

import java.util.Objects;

/**
 * Who a connection is: the server's id for it, the user id its connect hook gave it (empty for
 * anonymous), and the client software it named. Carried by publications, presence and join/leave.
 */
public record ClientInfo(String client, String user, String name, String version) {
    public ClientInfo {
        Objects.requireNonNull(client, "client");
        user = user == null ? "" : user;
        name = name == null ? "" : name;
        version = version == null ? "" : version;
    }
}
