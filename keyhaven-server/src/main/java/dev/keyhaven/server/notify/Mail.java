package dev.keyhaven.server.notify;

/** One message for one person: a fixed subject and a plain-text body. */
public record Mail(String template, String subject, String body) {}
