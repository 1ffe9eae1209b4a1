package dev.keyhaven.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the project permission an endpoint checks: a subject and the actions of it the check
 * may ask for (one of them per request). The check itself stands first in the service method;
 * {@link PermissionGuard} compares the checks that ran with this declaration, so the two cannot
 * drift apart unnoticed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProjectPermission {
    ProjectSubject subject();

    ProjectAction[] actions();
}
