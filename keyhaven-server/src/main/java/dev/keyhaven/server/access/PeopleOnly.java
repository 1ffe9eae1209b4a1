package dev.keyhaven.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that only a person's session may call (Infisical's JWT-only routes, such as
 * people's additional privileges): a machine identity's token gets 403 before the handler runs.
 * It narrows who may call; the endpoint still declares and checks its {@link Permission}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PeopleOnly {}
