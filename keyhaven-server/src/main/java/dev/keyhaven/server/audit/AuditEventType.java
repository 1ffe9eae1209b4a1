package dev.keyhaven.server.audit;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of event the server records, with the name it carries on the wire (Infisical's
 * kebab-case event types, stored in {@code audit_logs.event_type} and answered as
 * {@code event.type}), a one-line description and what its metadata holds. The vocabulary is
 * closed: an event is recorded only under a type named here, and {@code docs/audit-events.md}
 * lists exactly these (a test compares the two). Adding an event is adding a constant and its row
 * on that page; a wire name never changes once released, since clients filter on it.
 */
public enum AuditEventType {

    // secrets, folders, imports and tags
    GET_SECRETS("get-secrets", "Secrets of a folder were listed", "environment, secretPath, numberOfSecrets"),
    GET_SECRET(
            "get-secret",
            "One secret was read",
            "environment, secretPath, secretId, secretKey, secretVersion; or environment, secretPath, secretKey, imported when found through an import"),
    CREATE_SECRET(
            "create-secret", "A secret was created", "environment, secretPath, secretId, secretKey, secretVersion"),
    CREATE_SECRETS(
            "create-secrets",
            "Several secrets were created in one request",
            "environment, secretPath, secrets (each: secretPath, secretId, secretKey, secretVersion)"),
    UPDATE_SECRET(
            "update-secret", "A secret was changed", "environment, secretPath, secretId, secretKey, secretVersion"),
    UPDATE_SECRETS(
            "update-secrets",
            "Several secrets were changed in one request",
            "environment, secretPath, secrets (each: secretPath, secretId, secretKey, secretVersion)"),
    DELETE_SECRET(
            "delete-secret", "A secret was deleted", "environment, secretPath, secretId, secretKey, secretVersion"),
    DELETE_SECRETS(
            "delete-secrets",
            "Several secrets were deleted in one request",
            "environment, secretPath, secrets (each: secretPath, secretId, secretKey, secretVersion)"),
    MOVE_SECRETS(
            "move-secrets",
            "Secrets were moved to another environment or folder",
            "sourceEnvironment, sourceSecretPath, destinationEnvironment, destinationSecretPath, secretIds"),
    CREATE_FOLDER("create-folder", "A folder was created", "environment, folderId, folderName, folderPath"),
    UPDATE_FOLDER(
            "update-folder", "A folder was renamed", "environment, folderId, oldFolderName, newFolderName, folderPath"),
    DELETE_FOLDER("delete-folder", "A folder was deleted", "environment, folderId, folderPath"),
    CREATE_SECRET_IMPORT(
            "create-secret-import",
            "A folder started importing another folder's secrets",
            "environment, secretPath, importFromEnvironment, importFromSecretPath, secretImportId"),
    UPDATE_SECRET_IMPORT(
            "update-secret-import", "A secret import was changed", "environment, secretPath, secretImportId"),
    DELETE_SECRET_IMPORT(
            "delete-secret-import", "A secret import was removed", "environment, secretPath, secretImportId"),
    CREATE_TAG("create-tag", "A secret tag was created", "tagId, slug"),
    UPDATE_TAG("update-tag", "A secret tag was changed", "tagId, slug"),
    DELETE_TAG("delete-tag", "A secret tag was deleted", "tagId, slug"),

    // projects, environments and templates
    CREATE_PROJECT(
            "create-project",
            "A project was created",
            "projectId, name, slug; templateId, templateName, templateVersion when made from a template"),
    UPDATE_PROJECT("update-project", "A project's settings were changed", "projectId"),
    DELETE_PROJECT("delete-project", "A project was deleted", "projectId"),
    CREATE_ENVIRONMENT("create-environment", "An environment was added to a project", "name, slug"),
    UPDATE_ENVIRONMENT("update-environment", "An environment was renamed", "oldSlug, newSlug, oldName, newName"),
    DELETE_ENVIRONMENT("delete-environment", "An environment was deleted", "name, slug"),
    CREATE_PROJECT_TEMPLATE("create-project-template", "A project template was created", "templateId, name, version"),
    UPDATE_PROJECT_TEMPLATE("update-project-template", "A project template was changed", "templateId, name, version"),
    DELETE_PROJECT_TEMPLATE("delete-project-template", "A project template was deleted", "templateId, name"),
    APPLY_PROJECT_TEMPLATE(
            "apply-project-template",
            "A project was brought up to a newer version of its template",
            "templateId, templateName, fromVersion, toVersion, removeExtras, changes (environments, roles)"),

    // the KMS API (keys of kms projects); never plaintext, ciphertext, data or signatures
    CREATE_CMEK("create-cmek", "A KMS key was created", "keyId, name, keyUsage, encryptionAlgorithm, version"),
    UPDATE_CMEK(
            "update-cmek",
            "A KMS key was renamed, described, disabled or enabled",
            "keyId, name, keyUsage, encryptionAlgorithm, version, and the fields changed: name, description, isDisabled"),
    DELETE_CMEK(
            "delete-cmek",
            "A KMS key and all versions of its material were deleted",
            "keyId, name, keyUsage, encryptionAlgorithm, version"),
    ROTATE_CMEK(
            "rotate-cmek",
            "A KMS encryption key got a new version of its material",
            "keyId, name, keyUsage, encryptionAlgorithm, version (the new version)"),
    GET_CMEK("get-cmek", "A KMS key was read by id or name", "keyId, name, keyUsage, encryptionAlgorithm, version"),
    GET_CMEKS("get-cmeks", "A project's KMS keys were listed", "keyIds (the page answered)"),
    CMEK_ENCRYPT(
            "cmek-encrypt", "Data was encrypted with a KMS key", "keyId, name, keyUsage, encryptionAlgorithm, version"),
    CMEK_DECRYPT(
            "cmek-decrypt",
            "Data was decrypted with a KMS key",
            "keyId, name, keyUsage, encryptionAlgorithm, version, ciphertextVersion"),
    CMEK_SIGN(
            "cmek-sign",
            "Data was signed with a KMS key",
            "keyId, name, keyUsage, encryptionAlgorithm, version, signingAlgorithm, isDigest"),
    CMEK_VERIFY(
            "cmek-verify",
            "A signature was checked with a KMS key",
            "keyId, name, keyUsage, encryptionAlgorithm, version, signingAlgorithm, isDigest, signatureValid"),
    CMEK_LIST_SIGNING_ALGORITHMS(
            "cmek-list-signing-algorithms",
            "The signing algorithms of a KMS key were listed",
            "keyId, name, keyUsage, encryptionAlgorithm, version"),
    CMEK_GET_PUBLIC_KEY(
            "cmek-get-public-key",
            "The public key of a KMS signing key was read",
            "keyId, name, keyUsage, encryptionAlgorithm, version"),

    // project membership, roles, privileges and trusted IPs
    ADD_USER_TO_PROJECT("add-user-to-project", "A person was added to a project", "userId, roles"),
    UPDATE_USER_PROJECT_ROLE("update-user-project-role", "A person's project roles were changed", "userId, roles"),
    REMOVE_USER_FROM_PROJECT("remove-user-from-project", "A person was removed from a project", "userId"),
    ADD_IDENTITY_TO_PROJECT(
            "add-identity-to-project", "A machine identity was added to a project", "identityId, roles"),
    UPDATE_IDENTITY_PROJECT_ROLE(
            "update-identity-project-role", "A machine identity's project roles were changed", "identityId, roles"),
    REMOVE_IDENTITY_FROM_PROJECT(
            "remove-identity-from-project", "A machine identity was removed from a project", "identityId"),
    ADD_GROUP_TO_PROJECT("add-group-to-project", "A group was added to a project", "groupId, roles"),
    UPDATE_GROUP_PROJECT_ROLE("update-group-project-role", "A group's project roles were changed", "groupId"),
    REMOVE_GROUP_FROM_PROJECT("remove-group-from-project", "A group was removed from a project", "groupId"),
    CREATE_ROLE("create-role", "A custom project role was created", "roleId, slug"),
    UPDATE_ROLE("update-role", "A custom project role was changed", "roleId, slug"),
    DELETE_ROLE("delete-role", "A custom project role was deleted", "roleId, slug"),
    CREATE_USER_ADDITIONAL_PRIVILEGE(
            "create-user-additional-privilege",
            "A person was given an additional project privilege",
            "userId, privilegeId, slug"),
    UPDATE_USER_ADDITIONAL_PRIVILEGE(
            "update-user-additional-privilege",
            "A person's additional project privilege was changed",
            "userId, privilegeId, slug"),
    DELETE_USER_ADDITIONAL_PRIVILEGE(
            "delete-user-additional-privilege",
            "A person's additional project privilege was removed",
            "userId, privilegeId, slug"),
    CREATE_IDENTITY_ADDITIONAL_PRIVILEGE(
            "create-identity-additional-privilege",
            "A machine identity was given an additional project privilege",
            "identityId, privilegeId, slug"),
    UPDATE_IDENTITY_ADDITIONAL_PRIVILEGE(
            "update-identity-additional-privilege",
            "A machine identity's additional project privilege was changed",
            "identityId, privilegeId, slug"),
    DELETE_IDENTITY_ADDITIONAL_PRIVILEGE(
            "delete-identity-additional-privilege",
            "A machine identity's additional project privilege was removed",
            "identityId, privilegeId, slug"),
    ADD_TRUSTED_IP(
            "add-trusted-ip",
            "A project trusted IP entry was added",
            "trustedIpId, ipAddress, prefix (when a range), isActive"),
    UPDATE_TRUSTED_IP(
            "update-trusted-ip",
            "A project trusted IP entry was changed",
            "trustedIpId, ipAddress, prefix (when a range), isActive"),
    DELETE_TRUSTED_IP(
            "delete-trusted-ip",
            "A project trusted IP entry was deleted",
            "trustedIpId, ipAddress, prefix (when a range), isActive"),
    TRUSTED_IP_ACCESS_DENIED(
            "trusted-ip-access-denied",
            "A request was refused because its address is not among the project's trusted IPs",
            "ipAddress, method, path"),

    // organization, org roles and groups
    INSTANCE_BOOTSTRAP(
            "instance-bootstrap",
            "The instance was set up: its first organization, admin and admin identity",
            "userId, identityId"),
    CREATE_ORGANIZATION("create-organization", "An organization was created", "name"),
    UPDATE_AUDIT_RETENTION(
            "update-audit-retention",
            "The organization's audit log retention or legal hold was changed",
            "before, after (each: retentionDays or \"default\", legalHold)"),
    UPDATE_PROJECT_AUDIT_RETENTION(
            "update-project-audit-retention",
            "A project's audit log retention was changed",
            "before (days or \"default\"), after (days)"),
    AUDIT_LOGS_DELETED(
            "audit-logs-deleted",
            "Audit rows past their retention were deleted (by the retention job; project set when only that project's)",
            "count, before (the cut-off time), retentionDays"),
    ROOT_KEY_REWRAPPED(
            "root-key-rewrapped",
            "The organization's key was re-wrapped under a new root key (a root key rotation; no data changed)",
            "fromRootKeyId, toRootKeyId (key ids, never key material)"),
    UPDATE_ORG_SETTINGS(
            "update-org-settings", "An organization's security policy was changed", "before, after (the policy)"),
    CREATE_NOTIFICATION_CHANNEL(
            "create-notification-channel",
            "A notification channel (Slack, Microsoft Teams, webhook) was configured",
            "channelId, name, type"),
    UPDATE_NOTIFICATION_CHANNEL(
            "update-notification-channel",
            "A notification channel was renamed or reconfigured",
            "channelId, name, type"),
    DELETE_NOTIFICATION_CHANNEL(
            "delete-notification-channel", "A notification channel was deleted", "channelId, name, type"),
    TEST_NOTIFICATION_CHANNEL(
            "test-notification-channel",
            "A test message was queued for a notification channel",
            "channelId, name, type"),
    CREATE_APP_CONNECTION(
            "create-app-connection",
            "An app connection (a database or service credential) was created after a successful test connection",
            "connectionId, name, app, method, projectId (absent for org-level), sharedProjectIds"),
    UPDATE_APP_CONNECTION(
            "update-app-connection",
            "An app connection was renamed, re-described, given new credentials or shared differently",
            "connectionId, name, app, method, projectId, sharedProjectIds, credentialsChanged"),
    DELETE_APP_CONNECTION(
            "delete-app-connection", "An app connection was deleted", "connectionId, name, app, method, projectId"),
    CREATE_DYNAMIC_SECRET(
            "create-dynamic-secret",
            "A dynamic secret was configured after its root credential was tested",
            "dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath, connectionId"),
    UPDATE_DYNAMIC_SECRET(
            "update-dynamic-secret",
            "A dynamic secret's TTLs, name or inputs were changed",
            "dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath, connectionId"),
    DELETE_DYNAMIC_SECRET(
            "delete-dynamic-secret",
            "A dynamic secret was deleted (its leases revoked first)",
            "dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath, isForced"),
    CREATE_DYNAMIC_SECRET_LEASE(
            "create-dynamic-secret-lease",
            "A lease was issued: a new credential was made on the target system",
            "leaseId, dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath,"
                    + " leaseExternalEntityId (the generated user name), expireAt"),
    RENEW_DYNAMIC_SECRET_LEASE(
            "renew-dynamic-secret-lease",
            "A lease's expiry was moved",
            "leaseId, dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath,"
                    + " leaseExternalEntityId, expireAt"),
    DELETE_DYNAMIC_SECRET_LEASE(
            "delete-dynamic-secret-lease",
            "A lease was revoked on request (forced: deleted even though the target refused)",
            "leaseId, dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath,"
                    + " leaseExternalEntityId, isForced, providerError"),
    EXPIRE_DYNAMIC_SECRET_LEASE(
            "expire-dynamic-secret-lease",
            "A lease reached its expiry and its credential was revoked by the server (actor: platform)",
            "leaseId, dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath,"
                    + " leaseExternalEntityId"),
    DYNAMIC_SECRET_LEASE_REVOCATION_FAILED(
            "dynamic-secret-lease-revocation-failed",
            "Revoking an expired lease failed; it is retried with back-off (actor: platform)",
            "leaseId, dynamicSecretId, dynamicSecretName, dynamicSecretType, environment, secretPath,"
                    + " leaseExternalEntityId, error, attempt"),
    CREATE_AUDIT_LOG_STREAM(
            "create-audit-log-stream",
            "An audit log stream was added to the organization",
            "logStreamId, provider, destination (URL or host:port; never a header value)"),
    UPDATE_AUDIT_LOG_STREAM(
            "update-audit-log-stream",
            "An audit log stream's destination or credentials were changed",
            "logStreamId, provider, destination (URL or host:port; never a header value)"),
    DELETE_AUDIT_LOG_STREAM(
            "delete-audit-log-stream",
            "An audit log stream was removed",
            "logStreamId, provider, destination (URL or host:port)"),
    UPDATE_ORG_MEMBERSHIP(
            "update-org-membership",
            "A member's org role or active flag was changed",
            "membershipId, userId, before, after (role, isActive)"),
    REMOVE_ORG_MEMBER("remove-org-member", "A person was removed from the organization", "membershipId, userId"),
    INVITE_ORG_MEMBERS(
            "invite-org-members",
            "People were invited to the organization",
            "emails, role, projects (how many project grants)"),
    RESEND_ORG_INVITATION("resend-org-invitation", "An invitation was sent again", "membershipId, userId"),
    REVOKE_MEMBER_SESSIONS(
            "revoke-member-sessions",
            "An admin ended a member's browser sessions",
            "membershipId, userId, sessionsEnded"),
    CREATE_ORG_ROLE("create-org-role", "A custom org role was created", "roleId, slug"),
    UPDATE_ORG_ROLE("update-org-role", "A custom org role was changed", "roleId, slug"),
    DELETE_ORG_ROLE("delete-org-role", "A custom org role was deleted", "roleId, slug"),
    CREATE_GROUP("create-group", "A group was created", "groupId, name"),
    UPDATE_GROUP("update-group", "A group was changed", "groupId"),
    DELETE_GROUP("delete-group", "A group was deleted", "groupId, name"),
    ADD_USER_TO_GROUP("add-user-to-group", "A person was added to a group", "groupId, userId"),
    REMOVE_USER_FROM_GROUP("remove-user-from-group", "A person was removed from a group", "groupId, userId"),
    ADD_IDENTITY_TO_GROUP("add-identity-to-group", "A machine identity was added to a group", "groupId, identityId"),
    REMOVE_IDENTITY_FROM_GROUP(
            "remove-identity-from-group", "A machine identity was removed from a group", "groupId, identityId"),

    // people: logins and account security
    USER_LOGIN("user-login", "A person logged in", "method"),
    USER_LOGIN_FAILED("user-login-failed", "A person's login was refused", "reason (never the password or code)"),
    SESSION_REFRESH_TOKEN_REUSE(
            "session-refresh-token-reuse", "A used refresh token came back, so the session was revoked", "action"),
    USER_PASSWORD_CHANGED("user-password-changed", "A person changed their password", "otherSessionsEnded"),
    USER_MFA_ENABLED("user-mfa-enabled", "A person turned on a second factor", "method"),
    USER_MFA_DISABLED("user-mfa-disabled", "A person turned off their second factor", "method"),

    // single sign-on for people
    CREATE_OIDC_SSO_CONFIG(
            "create-oidc-sso-config",
            "The organization's OIDC single sign-on was configured",
            "configId, configurationType, clientId, isActive (never the client secret)"),
    UPDATE_OIDC_SSO_CONFIG(
            "update-oidc-sso-config",
            "The organization's OIDC single sign-on configuration was changed",
            "configId, configurationType, clientId, isActive (never the client secret)"),
    BREAK_GLASS_LOGIN(
            "break-glass-login",
            "An admin signed in with a password although the organization enforces SSO; the other admins were e-mailed",
            "reason, adminsNotified"),
    SSO_LOGIN_FAILED(
            "sso-login-failed",
            "A single sign-on answer from the identity provider was refused (state, code or ID token)",
            "protocol, reason (never a code, token or nonce)"),

    // machine identities and their auth methods
    CREATE_IDENTITY("create-identity", "A machine identity was created", "identityId, name"),
    UPDATE_IDENTITY("update-identity", "A machine identity was changed", "identityId"),
    DELETE_IDENTITY("delete-identity", "A machine identity was deleted", "identityId"),
    CREATE_IDENTITY_UNIVERSAL_AUTH_CLIENT_SECRET(
            "create-identity-universal-auth-client-secret",
            "A Universal Auth client secret was created",
            "identityId, clientSecretId"),
    REVOKE_IDENTITY_UNIVERSAL_AUTH_CLIENT_SECRET(
            "revoke-identity-universal-auth-client-secret",
            "A Universal Auth client secret was revoked",
            "identityId, clientSecretId"),
    CREATE_TOKEN_IDENTITY_TOKEN_AUTH(
            "create-token-identity-token-auth", "A Token Auth access token was created", "identityId, tokenId"),
    UPDATE_TOKEN_IDENTITY_TOKEN_AUTH(
            "update-token-identity-token-auth", "A Token Auth access token was renamed", "identityId, tokenId"),
    REVOKE_TOKEN_IDENTITY_TOKEN_AUTH(
            "revoke-token-identity-token-auth", "A Token Auth access token was revoked", "identityId, tokenId"),
    CLEAR_IDENTITY_LDAP_AUTH_LOCKOUTS(
            "clear-identity-ldap-auth-lockouts",
            "An admin lifted LDAP Auth lockouts of a machine identity",
            "identityId"),
    ADD_IDENTITY_UNIVERSAL_AUTH(
            "add-identity-universal-auth", "Universal Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_UNIVERSAL_AUTH(
            "update-identity-universal-auth",
            "A machine identity's Universal Auth settings were changed",
            "identityId"),
    REVOKE_IDENTITY_UNIVERSAL_AUTH(
            "revoke-identity-universal-auth",
            "Universal Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_UNIVERSAL_AUTH(
            "login-identity-universal-auth",
            "A machine identity logged in with Universal Auth",
            "identityId, clientSecretId, identityUniversalAuthId"),
    LOGIN_IDENTITY_UNIVERSAL_AUTH_FAILED(
            "login-identity-universal-auth-failed",
            "A machine identity's Universal Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_TOKEN_AUTH("add-identity-token-auth", "Token Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_TOKEN_AUTH(
            "update-identity-token-auth", "A machine identity's Token Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_TOKEN_AUTH(
            "revoke-identity-token-auth",
            "Token Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    ADD_IDENTITY_KUBERNETES_AUTH(
            "add-identity-kubernetes-auth", "Kubernetes Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_KUBERNETES_AUTH(
            "update-identity-kubernetes-auth",
            "A machine identity's Kubernetes Auth settings were changed",
            "identityId"),
    REVOKE_IDENTITY_KUBERNETES_AUTH(
            "revoke-identity-kubernetes-auth",
            "Kubernetes Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_KUBERNETES_AUTH(
            "login-identity-kubernetes-auth",
            "A machine identity logged in with Kubernetes Auth",
            "identityId, identityKubernetesAuthId"),
    LOGIN_IDENTITY_KUBERNETES_AUTH_FAILED(
            "login-identity-kubernetes-auth-failed",
            "A machine identity's Kubernetes Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_AWS_AUTH("add-identity-aws-auth", "AWS Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_AWS_AUTH(
            "update-identity-aws-auth", "A machine identity's AWS Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_AWS_AUTH(
            "revoke-identity-aws-auth",
            "AWS Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_AWS_AUTH(
            "login-identity-aws-auth", "A machine identity logged in with AWS Auth", "identityId, identityAwsAuthId"),
    LOGIN_IDENTITY_AWS_AUTH_FAILED(
            "login-identity-aws-auth-failed",
            "A machine identity's AWS Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_GCP_AUTH("add-identity-gcp-auth", "GCP Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_GCP_AUTH(
            "update-identity-gcp-auth", "A machine identity's GCP Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_GCP_AUTH(
            "revoke-identity-gcp-auth",
            "GCP Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_GCP_AUTH(
            "login-identity-gcp-auth", "A machine identity logged in with GCP Auth", "identityId, identityGcpAuthId"),
    LOGIN_IDENTITY_GCP_AUTH_FAILED(
            "login-identity-gcp-auth-failed",
            "A machine identity's GCP Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_AZURE_AUTH("add-identity-azure-auth", "Azure Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_AZURE_AUTH(
            "update-identity-azure-auth", "A machine identity's Azure Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_AZURE_AUTH(
            "revoke-identity-azure-auth",
            "Azure Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_AZURE_AUTH(
            "login-identity-azure-auth",
            "A machine identity logged in with Azure Auth",
            "identityId, identityAzureAuthId"),
    LOGIN_IDENTITY_AZURE_AUTH_FAILED(
            "login-identity-azure-auth-failed",
            "A machine identity's Azure Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_OIDC_AUTH("add-identity-oidc-auth", "OIDC Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_OIDC_AUTH(
            "update-identity-oidc-auth", "A machine identity's OIDC Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_OIDC_AUTH(
            "revoke-identity-oidc-auth",
            "OIDC Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_OIDC_AUTH(
            "login-identity-oidc-auth",
            "A machine identity logged in with OIDC Auth",
            "identityId, identityOidcAuthId"),
    LOGIN_IDENTITY_OIDC_AUTH_FAILED(
            "login-identity-oidc-auth-failed",
            "A machine identity's OIDC Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_JWT_AUTH("add-identity-jwt-auth", "JWT Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_JWT_AUTH(
            "update-identity-jwt-auth", "A machine identity's JWT Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_JWT_AUTH(
            "revoke-identity-jwt-auth",
            "JWT Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_JWT_AUTH(
            "login-identity-jwt-auth", "A machine identity logged in with JWT Auth", "identityId, identityJwtAuthId"),
    LOGIN_IDENTITY_JWT_AUTH_FAILED(
            "login-identity-jwt-auth-failed",
            "A machine identity's JWT Auth login was refused",
            "identityId, reason (never the credential)"),
    ADD_IDENTITY_LDAP_AUTH("add-identity-ldap-auth", "LDAP Auth was attached to a machine identity", "identityId"),
    UPDATE_IDENTITY_LDAP_AUTH(
            "update-identity-ldap-auth", "A machine identity's LDAP Auth settings were changed", "identityId"),
    REVOKE_IDENTITY_LDAP_AUTH(
            "revoke-identity-ldap-auth",
            "LDAP Auth was detached from a machine identity and the tokens it issued revoked",
            "identityId"),
    LOGIN_IDENTITY_LDAP_AUTH(
            "login-identity-ldap-auth",
            "A machine identity logged in with LDAP Auth",
            "identityId, identityLdapAuthId"),
    LOGIN_IDENTITY_LDAP_AUTH_FAILED(
            "login-identity-ldap-auth-failed",
            "A machine identity's LDAP Auth login was refused",
            "identityId, reason (never the credential)");

    private static final Map<String, AuditEventType> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(AuditEventType::wire, Function.identity()));

    private final String wire;
    private final String description;
    private final String metadata;

    AuditEventType(String wire, String description, String metadata) {
        this.wire = wire;
        this.description = description;
        this.metadata = metadata;
    }

    /** The name on the wire and in the database, e.g. {@code get-secrets}. */
    public String wire() {
        return wire;
    }

    /** What happened, in one line. */
    public String description() {
        return description;
    }

    /** The keys the event's metadata carries. */
    public String metadata() {
        return metadata;
    }

    /**
     * The type with this wire name; throws IllegalArgumentException for a name that is not in the
     * vocabulary (a programming error, never input: queries filter on wire names as given).
     */
    public static AuditEventType ofWire(String wire) {
        AuditEventType t = BY_WIRE.get(wire);
        if (t == null) {
            throw new IllegalArgumentException("no audit event type named " + wire);
        }
        return t;
    }

    /** {@code login-identity-<method>}: a login through the method succeeded. */
    public static AuditEventType identityLogin(String method) {
        return ofWire("login-identity-" + method);
    }

    /** {@code login-identity-<method>-failed}: a login through the method was refused. */
    public static AuditEventType identityLoginFailed(String method) {
        return ofWire("login-identity-" + method + "-failed");
    }
}
