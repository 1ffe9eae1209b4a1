package dev.keyhaven.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One valid configuration of every machine auth method, as its routes take it, for the tests that
 * run over all methods alike: the method's name and response key, a configuration to attach, whether
 * it has lockouts, the credentials in it that no response may carry, and a text setting whose
 * value an update trims ({@code null} when the method has none).
 */
record AuthMethodSamples(
        String name,
        String key,
        Map<String, Object> attach,
        boolean lockouts,
        List<String> secrets,
        String trimmedField,
        String trimmedValue) {
    static final String AUTH = "/api/v1/auth/";

    String route(String identityId) {
        return AUTH + name + "/identities/" + identityId;
    }

    @Override
    public String toString() {
        return name;
    }

    static final List<AuthMethodSamples> ALL = List.of(
            new AuthMethodSamples("universal-auth", "identityUniversalAuth", Map.of(), true, List.of(), null, null),
            new AuthMethodSamples("token-auth", "identityTokenAuth", Map.of(), false, List.of(), null, null),
            new AuthMethodSamples(
                    "kubernetes-auth",
                    "identityKubernetesAuth",
                    Map.of(
                            "kubernetesHost",
                            "https://k8s.example.test:6443",
                            "allowedNamespaces",
                            "default",
                            "allowedNames",
                            "api",
                            "allowedAudience",
                            ""),
                    false,
                    List.of(),
                    "allowedAudience",
                    "vault"),
            new AuthMethodSamples(
                    "aws-auth",
                    "identityAwsAuth",
                    Map.of("allowedAccountIds", "111122223333"),
                    false,
                    List.of(),
                    "allowedAccountIds",
                    "444455556666"),
            new AuthMethodSamples(
                    "gcp-auth",
                    "identityGcpAuth",
                    Map.of("type", "iam", "allowedProjects", "acme-prod"),
                    false,
                    List.of(),
                    "allowedProjects",
                    "acme-test"),
            new AuthMethodSamples(
                    "azure-auth",
                    "identityAzureAuth",
                    Map.of(
                            "tenantId",
                            "72f988bf-86f1-41af-91ab-2d7cd011db47",
                            "resource",
                            "https://management.azure.com/"),
                    false,
                    List.of(),
                    "resource",
                    "https://vault.azure.net"),
            new AuthMethodSamples(
                    "oidc-auth",
                    "identityOidcAuth",
                    Map.of(
                            "oidcDiscoveryUrl",
                            "https://issuer.example.test",
                            "boundIssuer",
                            "https://issuer.example.test"),
                    false,
                    List.of(),
                    "boundSubject",
                    "repo:acme/api"),
            new AuthMethodSamples(
                    "jwt-auth",
                    "identityJwtAuth",
                    Map.of("configurationType", "static", "publicKeys", List.of(newPublicKey())),
                    false,
                    List.of(),
                    "boundSubject",
                    "deployer"),
            new AuthMethodSamples(
                    "ldap-auth",
                    "identityLdapAuth",
                    Map.of(
                            "url",
                            "ldap://127.0.0.1:389",
                            "bindDN",
                            "cn=reader,dc=example,dc=com",
                            "bindPass",
                            "reader-password",
                            "searchBase",
                            "dc=example,dc=com"),
                    true,
                    List.of("reader-password"),
                    "searchBase",
                    "ou=machines,dc=example,dc=com"));

    /** A fresh public key; whoever holds its private half could sign JWT-auth logins. */
    static String newPublicKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
