package dev.keyhaven.server.support;

/** The databases every storage and API test runs on. */
public enum Db {
    SQLITE,
    POSTGRESQL
}
