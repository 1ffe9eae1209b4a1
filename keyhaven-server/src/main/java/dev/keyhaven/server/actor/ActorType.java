package dev.keyhaven.server.actor;

/** Who is acting: a person or a machine identity (service tokens and SCIM clients come later). */
public enum ActorType {
    USER("user"),
    IDENTITY("identity");

    private final String wire;

    ActorType(String wire) {
        this.wire = wire;
    }

    /** The lower-case name used in the API, audit rows and membership rows. */
    public String wire() {
        return wire;
    }
}
