package dev.keyhaven.server.org;

import dev.keyhaven.server.actor.Actor;

/**
 * How a person's current session was started ({@code password}, {@code oidc}, ...), so that an
 * admin cannot drop that method from the organization's login methods and lock themselves out.
 * People's sessions implement it (this package cannot see them).
 */
public interface SessionMethods {
    String methodOf(Actor person);
}
