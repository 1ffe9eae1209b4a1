package dev.keyhaven.server.identity;

import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * AWS IAM auth: a workload proves its AWS identity by handing over a signed
 * {@code sts:GetCallerIdentity} request, which the server replays to STS in the region it was
 * signed for ({@link AwsStsClient}); the account and principal STS reports must be allowed by the
 * identity's configuration ({@link AwsPrincipals}). The client names no URL or host: the region,
 * checked against a strict pattern, picks the endpoint. Every refusal is audited with its reason.
 */
@Service
public class AwsAuthService implements MachineAuthMethod<AwsAuthService.Settings, AwsAuthStore.Config> {
    public static final String NAME = "aws-auth";
    static final String DEFAULT_STS_ENDPOINT = "https://sts.amazonaws.com/";
    private static final Logger log = LoggerFactory.getLogger(AwsAuthService.class);

    private final AwsAuthStore store;
    private final MethodConfigs configs;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final AwsStsClient sts;
    private final LoginRateLimits rateLimits;
    private final LoginAudit logins;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public AwsAuthService(
            AwsAuthStore store,
            MethodConfigs configs,
            IdentityService identities,
            AccessTokenService tokens,
            AwsStsClient sts,
            LoginRateLimits rateLimits,
            LoginAudit logins,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.configs = configs;
        this.identities = identities;
        this.tokens = tokens;
        this.sts = sts;
        this.rateLimits = rateLimits;
        this.logins = logins;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** The attach/update body; on update absent fields keep their value. */
    public record Settings(
            String stsEndpoint,
            String allowedPrincipalArns,
            String allowedAccountIds,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY = new Settings(null, null, null, null, null, null, null);
    }

    /**
     * The login body. {@code iamRequestUrl} (sent by some clients) is read and ignored: the server
     * builds the STS URL itself.
     */
    public record Login(
            String identityId,
            String iamHttpRequestMethod,
            String iamRequestUrl,
            String iamRequestBody,
            String iamRequestHeaders,
            String organizationSlug) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_AWS_AUTH,
                AuditEventType.UPDATE_IDENTITY_AWS_AUTH,
                AuditEventType.REVOKE_IDENTITY_AWS_AUTH);
    }

    @Override
    public String label() {
        return "AWS";
    }

    @Override
    public MethodConfigStore<AwsAuthStore.Config> store() {
        return store;
    }

    @Override
    public AwsAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        if (s.accessTokenMaxTTL() != null && s.accessTokenMaxTTL() < 1) {
            throw ValidationException.field("accessTokenMaxTTL", "Number must be greater than or equal to 1");
        }
        return build(id, identity.id(), s, null, now, now);
    }

    @Override
    public AwsAuthStore.Config change(AwsAuthStore.Config c, Identity identity, Settings s, long now) {
        return build(c.id(), c.identityId(), s, c, c.createdAt(), now);
    }

    public AccessTokenService.IssuedToken login(Login body, String ip, String userAgent) {
        if (body.identityId() == null) {
            throw ValidationException.required("identityId");
        }
        if (body.iamRequestBody() == null) {
            throw ValidationException.required("iamRequestBody");
        }
        if (body.iamRequestHeaders() == null) {
            throw ValidationException.required("iamRequestHeaders");
        }
        String identityId = body.identityId().trim();
        rateLimits.check(NAME, identityId, ip);
        Identity identity = identities.find(identityId).orElse(null);
        if (identity == null) {
            log.info("AWS auth login for an unknown identity from {}", ip);
            throw ApiException.unauthorized("Invalid credentials");
        }
        AwsAuthStore.Config c = store.byIdentity(identity.id()).orElse(null);
        if (c == null) {
            logins.failed("aws-auth", identity, ip, userAgent, "AWS auth is not configured for the identity");
            throw ApiException.unauthorized("Invalid credentials");
        }
        AwsStsClient.CallerIdentity caller;
        try {
            AwsSignedRequest request = AwsSignedRequest.parse(
                    body.iamHttpRequestMethod(),
                    body.iamRequestBody(),
                    body.iamRequestHeaders(),
                    clock.instant(),
                    json);
            caller = sts.getCallerIdentity(request);
            if (!AwsPrincipals.accountAllowed(c.allowedAccountIds(), caller.account())) {
                throw AwsLoginRejected.denied("AWS account ID not allowed: " + caller.account());
            }
            if (!AwsPrincipals.principalAllowed(c.allowedPrincipalArns(), caller.arn())) {
                throw AwsLoginRejected.denied("AWS principal ARN not allowed: " + caller.arn());
            }
        } catch (AwsLoginRejected e) {
            if (e.upstream()) {
                log.warn("AWS auth login for identity {}: {}", identity.id(), e.getMessage());
            }
            logins.failed("aws-auth", identity, ip, userAgent, e.getMessage());
            String message = "Failed to authenticate identity with AWS IAM: " + e.publicReason();
            throw e.status() == 400 ? ApiException.badRequest(message) : ApiException.unauthorized(message);
        }
        return tx.execute(st -> {
            AccessTokenService.IssuedToken t =
                    tokens.issue(identity.id(), NAME, null, null, c.common().settings(json));
            logins.succeeded(
                    "aws-auth",
                    identity,
                    ip,
                    userAgent,
                    Map.of(
                            "identityId",
                            identity.id(),
                            "identityAwsAuthId",
                            c.id(),
                            "accountId",
                            caller.account(),
                            "principalArn",
                            caller.arn()));
            return t;
        });
    }

    private AwsAuthStore.Config build(
            String id, String identityId, Settings s, AwsAuthStore.Config cur, long created, long now) {
        String endpoint = s.stsEndpoint() != null
                ? s.stsEndpoint().trim()
                : cur == null ? DEFAULT_STS_ENDPOINT : cur.stsEndpoint();
        checkStsEndpoint(endpoint);
        String arns = s.allowedPrincipalArns() != null
                ? AwsPrincipals.principalArns(s.allowedPrincipalArns())
                : cur == null ? "" : cur.allowedPrincipalArns();
        String accounts = s.allowedAccountIds() != null
                ? AwsPrincipals.accountIds(s.allowedAccountIds())
                : cur == null ? "" : cur.allowedAccountIds();
        if (arns.isEmpty() && accounts.isEmpty()) {
            // Infisical lets both be empty, which admits every AWS principal in the world
            throw ValidationException.field(
                    "allowedPrincipalArns",
                    "Set allowedPrincipalArns or allowedAccountIds (or both); without either any AWS account could log in");
        }
        CommonTokenConfig common = CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common(),
                json);
        return new AwsAuthStore.Config(id, identityId, "iam", endpoint, arns, accounts, common, created, now);
    }

    /**
     * {@code stsEndpoint} is kept for Infisical clients and shown back; like Infisical, the server
     * calls the STS endpoint of the region a request is signed for and never this URL, so it cannot
     * steer a login anywhere. It must still be an https URL.
     */
    private static void checkStsEndpoint(String url) {
        try {
            URI u = URI.create(url);
            if ("https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && u.getRawUserInfo() == null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ValidationException.field("stsEndpoint", "Invalid url");
    }

    @Override
    public Map<String, Object> view(Identity identity, AwsAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("type", c.type());
        m.put("stsEndpoint", c.stsEndpoint());
        m.put("allowedPrincipalArns", c.allowedPrincipalArns());
        m.put("allowedAccountIds", c.allowedAccountIds());
        c.common().putInto(m, json);
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
