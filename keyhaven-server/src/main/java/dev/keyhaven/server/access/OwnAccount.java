package dev.keyhaven.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint where a logged-in person acts on their own account only (password, second
 * factor, sessions, which organization they work in). It touches no organization or project data,
 * so it checks no role: the session is the permission. Machine identities are refused unless
 * {@link #identities()} says the route is about the caller itself for them too (the organizations
 * it belongs to), and these routes keep working while an organization waits for the person to
 * enrol a second factor.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OwnAccount {
    /** What the person does here. */
    String value();

    /** True when a machine identity may call it as well, reading only what concerns itself. */
    boolean identities() default false;
}
