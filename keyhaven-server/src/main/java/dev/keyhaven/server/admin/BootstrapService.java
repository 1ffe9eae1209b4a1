package dev.keyhaven.server.admin;

import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.PasswordHasher;
import dev.keyhaven.server.identity.Identity;
import dev.keyhaven.server.identity.IdentityService;
import dev.keyhaven.server.identity.TokenAuthService;
import dev.keyhaven.server.org.OrgService;
import dev.keyhaven.server.org.Organization;
import dev.keyhaven.server.org.User;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sets up a fresh instance in one transaction: the first admin user, the first organization, and
 * an instance-admin machine identity whose token drives everything else. Refused once any user
 * exists; two concurrent calls cannot both succeed, since the second finds the first's user. The
 * identity's token lives {@code KEYHAVEN_BOOTSTRAP_TOKEN_TTL} (see docs/deployment.md for rotating it).
 */
@Service
public class BootstrapService {
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}]{1,255}$");
    private final OrgService orgs;
    private final IdentityService identities;
    private final TokenAuthService tokenAuth;
    private final PasswordHasher passwords;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final BootstrapProperties settings;

    public BootstrapService(
            OrgService orgs,
            IdentityService identities,
            TokenAuthService tokenAuth,
            PasswordHasher passwords,
            AuditLog audit,
            TransactionTemplate tx,
            BootstrapProperties settings) {
        this.orgs = orgs;
        this.identities = identities;
        this.tokenAuth = tokenAuth;
        this.passwords = passwords;
        this.audit = audit;
        this.tx = tx;
        this.settings = settings;
    }

    public Map<String, Object> bootstrap(
            String email, String password, String organization, String ip, String userAgent) {
        if (email == null || !EMAIL.matcher(email.trim()).matches()) {
            throw ValidationException.field("email", "Invalid email");
        }
        if (password == null || password.length() < 14) {
            throw ValidationException.field("password", "Password must be at least 14 characters");
        }
        if (password.length() > 256) {
            throw ValidationException.field("password", "Password must be at most 256 characters");
        }
        if (organization == null || organization.isBlank() || organization.length() > 64) {
            throw ValidationException.field("organization", "Organization name must be 1 to 64 characters");
        }
        if (orgs.hasUsers()) {
            throw ApiException.badRequest("This instance has already been set up");
        }
        String hash = passwords.hash(password);
        return tx.execute(s -> {
            if (orgs.hasUsers()) {
                throw ApiException.badRequest("This instance has already been set up");
            }
            User user = orgs.createUser(email.trim().toLowerCase(java.util.Locale.ROOT), hash, true);
            Organization org = orgs.createOrganization(organization.trim());
            orgs.addMember(org.id(), "user", user.id(), "admin");
            Identity identity = identities.createForBootstrap(org.id(), "instance-admin");
            String token = tokenAuth.attachAndIssue(identity.id(), "bootstrap", settings.tokenTtlSeconds());
            audit.record(new AuditEvent(
                    org.id(),
                    null,
                    null,
                    "platform",
                    null,
                    Map.of(),
                    AuditEventType.INSTANCE_BOOTSTRAP,
                    Map.of("userId", user.id(), "identityId", identity.id()),
                    ip,
                    userAgent));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("message", "Successfully bootstrapped instance");
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", user.id());
            u.put("username", user.username());
            u.put("email", user.email());
            u.put("firstName", user.firstName());
            u.put("lastName", user.lastName());
            u.put("superAdmin", user.superAdmin());
            out.put("user", u);
            out.put("organization", Map.of("id", org.id(), "name", org.name(), "slug", org.slug()));
            out.put(
                    "identity",
                    Map.of("id", identity.id(), "name", identity.name(), "credentials", Map.of("token", token)));
            return out;
        });
    }
}
