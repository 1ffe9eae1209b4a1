package dev.keyhaven.client;

import java.util.List;

/** One imported folder in a list response, in the server's (position) order. */
public record SecretImport(String environment, String secretPath, List<Secret> secrets) {}
