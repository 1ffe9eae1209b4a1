package dev.keyhaven.server.platform.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks one of the few endpoints that take no bearer token (status, bootstrap, logins, token
 * renewal). Every other endpoint must declare a permission ({@code @ProjectPermission}, {@code @OrgPermission}, {@code @MembershipOnly}) or {@code @OwnAccount}; a test and a start-up check
 * hold the list of public endpoints to exactly these.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicEndpoint {
    /** Why this endpoint needs no token. */
    String value();
}
