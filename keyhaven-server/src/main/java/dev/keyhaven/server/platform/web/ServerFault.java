package dev.keyhaven.server.platform.web;

/**
 * A failure inside the server that the client cannot fix: its details go to the server log only,
 * and the client gets a 500 with the fault's error name and a fixed, detail-free message.
 */
public abstract class ServerFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String error;
    private final String publicMessage;

    protected ServerFault(String error, String publicMessage, String detail) {
        super(detail);
        this.error = error;
        this.publicMessage = publicMessage;
    }

    public String error() {
        return error;
    }

    public String publicMessage() {
        return publicMessage;
    }
}
