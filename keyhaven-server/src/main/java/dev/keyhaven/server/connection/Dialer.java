package dev.keyhaven.server.connection;

/**
 * How connection code reaches a database or service: it names the host and port it was given and
 * opens its socket to the {@link Route} it gets back, never to the host name itself. Today that is
 * {@link DirectDialer} (the outbound allow-list, one resolution, the checked address); a gateway
 * into a private network would be another dialer answering with the local end of its tunnel, and
 * no driver code would change.
 */
public interface Dialer {
    /** The checked address to connect to; {@link ConnectionException} when the target is refused. */
    Route route(String host, int port);
}
