package dev.parley.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between a client and a server that a test can cut: every connection
 * through it reset at once, as when a phone loses its network, while the server keeps its state.
 * It can also refuse new connections for a while, as a server that cannot be reached.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean accepting = true;
    private volatile boolean frozen;
    private final Object thawed = new Object();
    private final Thread acceptor;

    CuttingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection through the proxy. */
    void cut() {
        for (Socket s : open) {
            reset(s);
        }
    }

    /**
     * Stops passing bytes without closing anything, as a network that silently drops everything;
     * new connections are reset meanwhile.
     */
    void freeze() {
        frozen = true;
        accepting = false;
    }

    void thaw() {
        synchronized (thawed) {
            frozen = false;
            accepting = true;
            thawed.notifyAll();
        }
    }

    /** While false, connections are reset as soon as they arrive. */
    void accepting(boolean on) {
        accepting = on;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (!accepting) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // listener closed, or the server refused: the client sees a reset
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            synchronized (thawed) {
                                while (frozen) {
                                    thawed.wait(); // bytes held back, as a black-holed route would
                                }
                            }
                            out.write(buffer, 0, n);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IOException e) {
                        // cut or closed
                    } finally {
                        reset(from);
                        reset(to);
                    }
                },
                "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void reset(Socket s) {
        open.remove(s);
        try {
            s.setSoLinger(true, 0); // close with RST, not FIN: the connection is lost, not closed
        } catch (SocketException e) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
