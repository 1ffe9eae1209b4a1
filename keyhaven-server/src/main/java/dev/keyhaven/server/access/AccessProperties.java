package dev.keyhaven.server.access;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How strictly {@link PermissionGuard} treats an endpoint whose checks differ from its declared
 * permission ({@code KEYHAVEN_ACCESS_STRICT_DECLARATIONS}). Off (the default) it logs an error
 * and answers as it would have; on, which the test servers set, it answers 500 naming both, so a
 * test that exercises the endpoint fails.
 */
@ConfigurationProperties("keyhaven.access")
public record AccessProperties(Boolean strictDeclarations) {
    public AccessProperties {
        strictDeclarations = Boolean.TRUE.equals(strictDeclarations);
    }
}
