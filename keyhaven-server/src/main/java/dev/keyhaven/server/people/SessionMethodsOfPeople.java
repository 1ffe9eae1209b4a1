package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.org.SessionMethods;
import org.springframework.stereotype.Component;

/** The method a person's session was started with, read from the session row. */
@Component
class SessionMethodsOfPeople implements SessionMethods {
    private final SessionStore store;

    SessionMethodsOfPeople(SessionStore store) {
        this.store = store;
    }

    @Override
    public String methodOf(Actor person) {
        return person.tokenId() == null
                ? "password"
                : store.session(person.tokenId())
                        .map(SessionStore.Row::authMethod)
                        .orElse("password");
    }
}
