package dev.keyhaven.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an endpoint that needs membership and no particular permission: reading a project one
 * is a member of, listing the projects one belongs to in the organization. Infisical has no
 * subject and action for these, so they say so instead of naming a pair outside the vocabulary;
 * the service runs {@link PermissionSet#requireMembership()} in the same scope, and {@link
 * PermissionGuard} checks that it did.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MembershipOnly {
    PermissionScope value();
}
