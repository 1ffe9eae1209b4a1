package dev.keyhaven.server.auditstream;

import java.util.List;

/**
 * An audit log stream as its organization's admins see it: where events go, never with which
 * credentials. A {@code custom} stream has a {@code url} and header names ({@code headerKeys}, the
 * values are never answered); a {@code syslog} stream has a {@code host}, {@code port}, whether it
 * speaks TLS and the CA that vouches for the receiver (a certificate, not a secret).
 */
public record AuditStream(
        String id,
        String orgId,
        String provider,
        String url,
        List<String> headerKeys,
        String host,
        Integer port,
        Boolean tls,
        String caCert,
        long createdAt,
        long updatedAt) {}
