package dev.keyhaven.server.connection;

/**
 * Where a socket goes: an IP literal (already checked) and a port, with the host name the caller
 * gave (for messages).
 */
public record Route(String address, int port, String host) {
    /** {@code address:port} as it goes into a URL, an IPv6 literal in brackets. */
    public String authority() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
