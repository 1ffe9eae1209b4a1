package dev.keyhaven.server.platform.listen;

import dev.keyhaven.server.platform.config.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the server listens, bound from {@code KEYHAVEN_*} variables: the API's bind address
 * ({@code KEYHAVEN_BIND}), its TLS certificate and key as PEM files ({@code KEYHAVEN_TLS_CERT_FILE},
 * {@code KEYHAVEN_TLS_KEY_FILE}), and the separate management port for health and metrics
 * ({@code KEYHAVEN_MANAGEMENT_PORT}, {@code KEYHAVEN_MANAGEMENT_BIND}).
 *
 * <p>Without a bind address the API listens on {@code 127.0.0.1} when it serves plain HTTP outside
 * a container, and on every interface when it serves TLS or runs in a container (where loopback is
 * unreachable from outside). The management port listens on {@code 127.0.0.1} except under
 * Kubernetes, whose probes and Prometheus reach the pod's address.
 */
@ConfigurationProperties("keyhaven")
public record ListenProperties(
        String bind, Path tlsCertFile, Path tlsKeyFile, Integer managementPort, String managementBind) {

    /** The management port when none is set. */
    public static final int DEFAULT_MANAGEMENT_PORT = 8081;

    public ListenProperties {
        bind = blankToNull(bind);
        managementBind = blankToNull(managementBind);
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new StartupException(
                    "KEYHAVEN_TLS_CERT_FILE and KEYHAVEN_TLS_KEY_FILE go together: set both or neither");
        }
        if (managementPort != null && (managementPort < -1 || managementPort > 65535)) {
            throw new StartupException("KEYHAVEN_MANAGEMENT_PORT must be a port number (0 = any free port,"
                    + " -1 = no management port), got " + managementPort);
        }
    }

    public boolean tls() {
        return tlsCertFile != null;
    }

    /** The API's bind address in force, given where the server runs. */
    public String effectiveBind(Surroundings where) {
        if (bind != null) {
            return bind;
        }
        return tls() || where.container() ? "0.0.0.0" : "127.0.0.1";
    }

    /** Why the API listens where it does, for the start-up banner. */
    public String bindReason(Surroundings where) {
        if (bind != null) {
            return "KEYHAVEN_BIND";
        }
        if (tls()) {
            return "default with TLS";
        }
        return where.container() ? "default in a container" : "default without TLS outside a container";
    }

    public int effectiveManagementPort() {
        return managementPort == null ? DEFAULT_MANAGEMENT_PORT : managementPort;
    }

    public String effectiveManagementBind(Surroundings where) {
        if (managementBind != null) {
            return managementBind;
        }
        return where.kubernetes() ? "0.0.0.0" : "127.0.0.1";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** What the server can tell about where it runs. */
    public record Surroundings(boolean container, boolean kubernetes) {
        /** Looks at the markers Docker and podman leave and at Kubernetes' service variables. */
        public static Surroundings detect(java.util.function.Function<String, String> env) {
            boolean kubernetes = env.apply("KUBERNETES_SERVICE_HOST") != null;
            boolean container = kubernetes
                    || env.apply("container") != null
                    || Files.exists(Path.of("/.dockerenv"))
                    || Files.exists(Path.of("/run/.containerenv"));
            return new Surroundings(container, kubernetes);
        }
    }
}
