package dev.parley.app;

import dev.parley.hub.ConnectDecision;
import dev.parley.hub.ConnectRequest;
import dev.parley.hub.HubHooks;

/**
 * The demo's hooks: no authentication, the connect token is taken as the user name (cleaned up
 * and cut to 24 characters; "guest" when empty), so that the chat can show nicknames in messages
 * and presence. A real application checks credentials here.
 */
final class DemoHooks implements HubHooks {
    @Override
    public ConnectDecision onConnect(ConnectRequest request) {
        String name = request.token().strip().replaceAll("[\\p{Cntrl}]", "");
        if (name.length() > 24) {
            name = name.substring(0, 24);
        }
        return ConnectDecision.accept(name.isEmpty() ? "guest" : name);
    }
}
