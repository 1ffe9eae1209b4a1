package dev.keyhaven.client;

/** Where to read secrets and how: project, environment slug, folder path and the list flags. */
public record SecretQuery(
        String projectId,
        String environment,
        String secretPath,
        boolean expand,
        boolean includeImports,
        boolean recursive) {

    public static SecretQuery of(String projectId, String environment, String secretPath) {
        return new SecretQuery(projectId, environment, secretPath, true, true, false);
    }
}
