package dev.keyhaven.server.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the test database that a test can break without touching the database
 * other tests share: {@link #cut} closes every connection and refuses new ones (the database is
 * down), {@link #freeze} keeps connections open but passes nothing (the database hangs), and
 * {@link #restore} forwards again.
 */
final class BreakableProxy implements AutoCloseable {
    private enum Mode {
        FORWARD,
        CUT,
        FREEZE
    }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket listener;
    private volatile boolean closed;

    BreakableProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    int port() {
        return port;
    }

    /** Closes every connection and refuses new ones, as a stopped database does. */
    synchronized void cut() throws IOException {
        mode = Mode.CUT;
        notifyAll();
        listener.close();
        closeAll();
    }

    /** Accepts connections but passes no byte either way, as a hung database or network does. */
    synchronized void freeze() {
        mode = Mode.FREEZE;
    }

    /** Forwards again (new connections; frozen ones carry on). */
    synchronized void restore() throws IOException {
        if (mode == Mode.CUT) {
            listener = listen(port);
            startAccepting(listener);
        }
        mode = Mode.FORWARD;
        notifyAll();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void startAccepting(ServerSocket server) {
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket client = server.accept();
                            sockets.add(client);
                            Thread c = new Thread(() -> connect(client), "proxy-connect");
                            c.setDaemon(true);
                            c.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void connect(Socket client) {
        try {
            waitWhileFrozen();
            Socket upstream = new Socket(targetHost, targetPort);
            sockets.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
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
                            waitWhileFrozen();
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // one side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Holds a connection's bytes while frozen; {@link #restore}, {@link #cut} and {@link #close} wake it. */
    private synchronized void waitWhileFrozen() throws InterruptedException, IOException {
        while (mode == Mode.FREEZE && !closed) {
            wait();
        }
        if (mode == Mode.CUT || closed) {
            throw new IOException("cut");
        }
    }

    private void closeAll() {
        sockets.forEach(BreakableProxy::closeQuietly);
        sockets.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        listener.close();
        closeAll();
    }
}
