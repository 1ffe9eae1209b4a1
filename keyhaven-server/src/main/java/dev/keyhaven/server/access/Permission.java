package dev.keyhaven.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the permission an endpoint checks: the subject and actions at project or org scope.
 * The check itself stands first in the service method; {@link PermissionGuard} refuses to send a
 * response from a declared endpoint that did not run one, so a declaration cannot drift from
 * the code unnoticed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Permission {
    Scope scope();

    String subject();

    String[] actions();

    enum Scope {
        PROJECT,
        ORG
    }
}
