package dev.keyhaven.server.people;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgRoleService;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.RoleGrant;
import dev.keyhaven.server.access.UserMembershipService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.PasswordHasher;
import dev.keyhaven.server.notify.MailTemplates;
import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.org.Member;
import dev.keyhaven.server.org.MemberService;
import dev.keyhaven.server.org.OrgSettings;
import dev.keyhaven.server.org.OrgSettingsService;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.text.EmailAddresses;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Invitations by e-mail to an organization and, with it, to projects. An invitation is a
 * single-use link that expires after seven days; accepting it verifies the address, completes a
 * new account with a password, and turns the membership from {@code invited} into {@code accepted}.
 * The roles it carries were checked against the inviter's own when it was sent.
 */
@Service
public class InvitationService {
    static final Duration TTL = Duration.ofDays(7);
    private static final String INVALID = "The invitation link is invalid, used or expired; ask for a new one";

    private final AccountStore accounts;
    private final OneTimeTokens tokens;
    private final PasswordHasher passwords;
    private final MemberService members;
    private final OrgSettingsService orgSettings;
    private final OrgRoleService orgRoles;
    private final UserMembershipService projectMembers;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final Notifications notifications;
    private final MailTemplates mails;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;

    InvitationService(
            AccountStore accounts,
            OneTimeTokens tokens,
            PasswordHasher passwords,
            MemberService members,
            OrgSettingsService orgSettings,
            OrgRoleService orgRoles,
            UserMembershipService projectMembers,
            ProjectService projects,
            PermissionService permissions,
            Notifications notifications,
            MailTemplates mails,
            AuditLog audit,
            ObjectMapper json,
            TransactionTemplate tx,
            Clock clock) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.passwords = passwords;
        this.members = members;
        this.orgSettings = orgSettings;
        this.orgRoles = orgRoles;
        this.projectMembers = projectMembers;
        this.projects = projects;
        this.permissions = permissions;
        this.notifications = notifications;
        this.mails = mails;
        this.audit = audit;
        this.json = json;
        this.tx = tx;
        this.clock = clock;
    }

    public record ProjectInvite(String id, List<String> projectRoleSlug) {}

    public record Invite(
            List<String> inviteeEmails,
            String organizationId,
            String organizationRoleSlug,
            List<ProjectInvite> projects) {}

    public record Accept(String token, String password, String firstName, String lastName) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    Map<String, Object> invite(Actor actor, Invite body) {
        permissions.org(actor).require(OrgSubject.MEMBER, OrgAction.CREATE);
        if (body.organizationId() == null || !body.organizationId().equals(actor.orgId())) {
            throw ApiException.forbidden("You can only invite people to the organization your session belongs to");
        }
        if (body.inviteeEmails() == null
                || body.inviteeEmails().isEmpty()
                || body.inviteeEmails().size() > 100) {
            throw ValidationException.field("inviteeEmails", "Give 1 to 100 e-mail addresses");
        }
        OrgSettings org = orgSettings.current(actor.orgId());
        String role = body.organizationRoleSlug() == null
                        || body.organizationRoleSlug().isBlank()
                ? org.defaultMembershipRole()
                : body.organizationRoleSlug().strip();
        orgRoles.checkGrantable(actor, "organizationRoleSlug", role);
        Set<String> emails = new LinkedHashSet<>();
        for (int i = 0; i < body.inviteeEmails().size(); i++) {
            String e = EmailAddresses.normalize(
                    "inviteeEmails." + i, body.inviteeEmails().get(i));
            if (!org.allowedEmailDomains().isEmpty()
                    && !org.allowedEmailDomains().contains(EmailAddresses.domain(e))) {
                throw ValidationException.field(
                        "inviteeEmails." + i,
                        "This organization only admits addresses at " + org.allowedEmailDomains());
            }
            emails.add(e);
        }
        List<Map<String, Object>> projectGrants = projectGrants(actor, body.projects());
        for (String email : emails) {
            // inviting someone already invited sends a new link to their pending membership, with the role it has
            accounts.byEmail(email)
                    .flatMap(a -> members.byUser(actor.orgId(), a.id()))
                    .filter(m -> "invited".equals(m.status()))
                    .ifPresent(m -> members.requireCovers(actor, m));
        }
        List<Map<String, Object>> links = new ArrayList<>();
        boolean mail = notifications.emailEnabled();
        String inviter = actor.name() == null ? "An admin" : actor.name();
        for (String email : emails) {
            String token = tx.execute(s -> {
                Account a = accounts.byEmail(email).orElse(null);
                String userId = a != null ? a.id() : newIncompleteAccount(email);
                Member m = members.byUser(actor.orgId(), userId).orElse(null);
                if (m != null && "accepted".equals(m.status())) {
                    return null;
                }
                Member invited = m != null ? m : members.addInvited(actor.orgId(), userId, role);
                tokens.voidAll(userId, OneTimeTokens.INVITE);
                String t = tokens.issue(
                        userId,
                        OneTimeTokens.INVITE,
                        json.writeValueAsString(Map.of(
                                "orgId", actor.orgId(), "membershipId", invited.id(), "projects", projectGrants)),
                        TTL);
                if (mail) {
                    notifications.email(email, mails.invitation(org.name(), inviter, t));
                }
                return t;
            });
            if (token != null && !mail) {
                links.add(Map.of("email", email, "link", mails.invitationLink(token)));
            }
        }
        audit.record(AuditEvent.of(
                actor,
                null,
                null,
                AuditEventType.INVITE_ORG_MEMBERS,
                Map.of("emails", List.copyOf(emails), "role", role, "projects", projectGrants.size())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", "Invitations sent");
        if (!links.isEmpty()) {
            out.put("completeInviteLinks", links);
        }
        return out;
    }

    public record Resend(String membershipId) {}

    /**
     * Sends a pending invitation again with a new link; every older link of the person stops
     * working. The projects the invitation carried (checked against the inviter when it was sent)
     * stay with it while its last link is unused, even when expired.
     */
    Map<String, Object> resend(Actor actor, Resend body) {
        permissions.org(actor).require(OrgSubject.MEMBER, OrgAction.CREATE);
        if (body == null || body.membershipId() == null || body.membershipId().isBlank()) {
            throw ValidationException.required("membershipId");
        }
        Member m = members.require(actor, actor.orgId(), body.membershipId(), OrgAction.CREATE);
        if (!"invited".equals(m.status())) {
            throw ApiException.badRequest("This person has already accepted the invitation");
        }
        OrgSettings org = orgSettings.current(actor.orgId());
        boolean mail = notifications.emailEnabled();
        String token = tx.execute(s -> {
            String payload = accounts.latestToken(m.userId(), OneTimeTokens.INVITE)
                    .map(AccountStore.TokenRow::payload)
                    .filter(p ->
                            m.id().equals(json.readTree(p).path("membershipId").asString()))
                    .orElseGet(() -> json.writeValueAsString(
                            Map.of("orgId", actor.orgId(), "membershipId", m.id(), "projects", List.of())));
            tokens.voidAll(m.userId(), OneTimeTokens.INVITE);
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.RESEND_ORG_INVITATION,
                    Map.of("membershipId", m.id(), "userId", m.userId())));
            String t = tokens.issue(m.userId(), OneTimeTokens.INVITE, payload, TTL);
            if (mail) {
                notifications.email(
                        m.email(), mails.invitation(org.name(), actor.name() == null ? "An admin" : actor.name(), t));
            }
            return t;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", "Invitation sent");
        if (!mail) {
            out.put("completeInviteLinks", List.of(Map.of("email", m.email(), "link", mails.invitationLink(token))));
        }
        return out;
    }

    /** Accepts an invitation; a new account needs a password here. */
    Map<String, Object> accept(Accept body) {
        AccountStore.TokenRow row =
                tokens.peek(body.token(), OneTimeTokens.INVITE).orElseThrow(() -> ApiException.badRequest(INVALID));
        Account a = accounts.byId(row.userId()).orElseThrow(() -> ApiException.badRequest(INVALID));
        String hash = null;
        String first = PersonNames.check("firstName", body.firstName());
        String last = PersonNames.check("lastName", body.lastName());
        if (!a.complete()) {
            PersonNames.checkPassword("password", body.password());
            hash = passwords.hash(body.password());
        }
        JsonNode payload = json.readTree(row.payload());
        String orgId = payload.path("orgId").asString();
        Member m = members.byUser(orgId, a.id())
                .orElseThrow(() ->
                        ApiException.badRequest("The invitation was withdrawn; ask the organization for a new one"));
        String passwordHash = hash;
        tx.executeWithoutResult(s -> {
            tokens.consume(body.token(), OneTimeTokens.INVITE, INVALID);
            long now = clock.millis();
            if (passwordHash != null) {
                accounts.setPassword(a.id(), passwordHash, now);
                accounts.setNames(a.id(), first, last, now);
            }
            accounts.markVerified(a.id(), now);
            members.accept(m);
            for (JsonNode p : payload.path("projects")) {
                List<String> roles = new ArrayList<>();
                p.path("roles").forEach(r -> roles.add(r.asString()));
                projectMembers.addUserFromInvitation(p.path("projectId").asString(), a.id(), roles);
            }
        });
        return Map.of("message", "Invitation accepted; log in to start", "organizationId", orgId);
    }

    private String newIncompleteAccount(String email) {
        String id = Ids.newId();
        accounts.insert(id, email, null, null, null, clock.millis());
        return id;
    }

    /** Project grants, each checked against the inviter's own permissions in that project now. */
    private List<Map<String, Object>> projectGrants(Actor actor, List<ProjectInvite> invites) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (invites == null) {
            return out;
        }
        for (int i = 0; i < invites.size(); i++) {
            ProjectInvite p = invites.get(i);
            if (p == null || p.id() == null) {
                throw ValidationException.required("projects." + i + ".id");
            }
            List<String> roles =
                    p.projectRoleSlug() == null || p.projectRoleSlug().isEmpty()
                            ? List.of("member")
                            : p.projectRoleSlug();
            String projectId = projects.resolve(actor, p.id(), null).id();
            projectMembers.checkUserGrant(
                    actor, projectId, roles.stream().map(RoleGrant::permanent).toList());
            out.add(Map.of("projectId", projectId, "roles", roles));
        }
        return out;
    }
}
