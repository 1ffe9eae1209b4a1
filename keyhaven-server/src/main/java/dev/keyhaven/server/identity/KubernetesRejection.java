package dev.keyhaven.server.identity;

/**
 * Why a Kubernetes login was refused. The message goes to the audit log (never the token); the
 * public reason is what the unauthenticated caller is told, which leaves out details of the
 * operator's network (host names, addresses) when the API server or issuer could not be reached.
 */
class KubernetesRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String publicReason;

    KubernetesRejection(String reason) {
        this(reason, reason);
    }

    KubernetesRejection(String auditReason, String publicReason) {
        super(auditReason, null, false, false);
        this.publicReason = publicReason;
    }

    String publicReason() {
        return publicReason;
    }
}
