package dev.keyhaven.cli.agent;

/**
 * A mistake in the agent's config or in a template, found before anything is fetched or
 * written. Its message names the file, the line and the field, and never holds a secret value.
 */
public final class AgentConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentConfigException(String message) {
        super(message);
    }
}
