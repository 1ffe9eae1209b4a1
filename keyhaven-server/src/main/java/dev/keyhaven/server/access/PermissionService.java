package dev.keyhaven.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Builds an actor's effective permissions: in the org from its org role and the org roles of its
 * groups there (built-in or custom), in a project from the union of its active project roles
 * (built-in or custom, held directly or through groups) and active additional privileges. A
 * temporary grant counts until its end time and not a millisecond longer; no job has to switch
 * it off.
 *
 * <p>Project permissions are cached per actor and project across requests, tagged with the
 * {@link AccessEpoch} read before they were built. Every request reads the epoch again (one
 * single-row query instead of the membership and privilege queries) and rebuilds when it has
 * moved, when the earliest temporary grant in the set has ended, or when the actor's name or
 * metadata (which templated rules read) differ. Any change to access data moves the epoch in the
 * same transaction, so a revoked permission fails on the very next request on every node.
 */
@Service
public class PermissionService {
    private static final String MEMO = "keyhaven.permissionMemo";
    private static final String NOT_A_MEMBER = "ProjectMembershipNotFound";
    private final ProjectMembershipStore memberships;
    private final PrivilegeStore privileges;
    private final OrgRoleStore orgRoles;
    private final GroupStore groups;
    private final CustomRoleRules customRoles;
    private final ProjectIpAllowlist ipAllowlist;
    private final AccessEpoch epoch;
    private final Clock clock;
    private final Cache<String, CachedBook> books = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    /** A project rule book and what it was built under; good while all of it still holds. */
    private record CachedBook(
            long epoch, long validUntil, String actorName, Map<String, String> actorMetadata, RuleBook book) {
        boolean holdsFor(long currentEpoch, long now, Actor actor) {
            return epoch == currentEpoch
                    && now < validUntil
                    && Objects.equals(actorName, actor.name())
                    && Objects.equals(actorMetadata, actor.metadata());
        }
    }

    public PermissionService(
            ProjectMembershipStore memberships,
            PrivilegeStore privileges,
            OrgRoleStore orgRoles,
            GroupStore groups,
            CustomRoleRules customRoles,
            ProjectIpAllowlist ipAllowlist,
            AccessEpoch epoch,
            Clock clock) {
        this.memberships = memberships;
        this.privileges = privileges;
        this.orgRoles = orgRoles;
        this.groups = groups;
        this.customRoles = customRoles;
        this.ipAllowlist = ipAllowlist;
        this.epoch = epoch;
        this.clock = clock;
    }

    /**
     * The actor's permissions in its org: the union of its own org role and the org roles of the
     * groups of that org it belongs to (a deny from any of them still wins). Only an actor with an
     * org role, which authentication gives only to an active member, gets any: a group never lifts
     * someone who is not (or no longer) a member of the org. Built once per request.
     */
    public PermissionSet org(Actor actor) {
        Map<String, PermissionSet> memo = memo();
        String key = "org:" + actor.type().wire() + ":" + actor.id() + ":" + actor.orgId() + ":" + actor.orgRole();
        PermissionSet cached = memo == null ? null : memo.get(key);
        if (cached != null) {
            return cached;
        }
        PermissionSet set =
                new PermissionSet(new RuleBook(RuleTemplates.render(orgRules(actor), actor)), PermissionScope.ORG);
        if (memo != null) {
            memo.put(key, set);
        }
        return set;
    }

    /** The rules of the actor's own org role and of its groups' org roles; none without an org role. */
    private List<Rule> orgRules(Actor actor) {
        if (actor.orgId() == null || actor.orgRole() == null) {
            return List.of();
        }
        List<Rule> rules = new ArrayList<>(orgRoleRules(actor.orgId(), actor.orgRole()));
        for (GroupStore.GroupOrgRole g :
                groups.orgRolesOf(actor.orgId(), actor.type().wire(), actor.id())) {
            if (g.role().equals(actor.orgRole())) {
                continue;
            }
            if (g.customRoleId() != null) {
                rules.addAll(
                        customRoles.rules(g.customRoleId(), "org-role:" + g.role(), g.permissions(), g.updatedAt()));
            } else {
                BuiltInRoles.org(g.role()).ifPresent(rules::addAll);
            }
        }
        return rules;
    }

    private List<Rule> orgRoleRules(String orgId, String slug) {
        return BuiltInRoles.org(slug)
                .orElseGet(() -> orgRoles.bySlug(orgId, slug)
                        .map(r -> customRoles.rules(r.id(), "org-role:" + r.slug(), r.permissions(), r.updatedAt()))
                        .orElse(List.of()));
    }

    /**
     * The actor's permissions in a project of its own org. The caller has already checked the
     * project belongs to the actor's org; a request from outside the project's trusted IPs gets
     * 403 (audited), and so does a non-member. Every service asks this before it touches a
     * project, which is why the trusted IPs are enforced here and nowhere else.
     */
    public PermissionSet project(Actor actor, String projectId) {
        Map<String, PermissionSet> memo = memo();
        String key = actor.type().wire() + ":" + actor.id() + ":" + projectId;
        PermissionSet inRequest = memo == null ? null : memo.get(key);
        if (inRequest != null) {
            return inRequest;
        }
        ipAllowlist.check(actor, projectId);
        // read before the rules are (with the credential, or now): a change committed in between
        // then shows as a newer epoch
        long currentEpoch = actor.accessEpoch() != null ? actor.accessEpoch() : epoch.current();
        long now = clock.millis();
        CachedBook cached = books.getIfPresent(key);
        RuleBook book;
        if (cached != null && cached.holdsFor(currentEpoch, now, actor)) {
            book = cached.book();
        } else {
            ActiveRules active = projectRules(actor.type().wire(), actor.id(), projectId, now);
            book = new RuleBook(RuleTemplates.render(active.rules(), actor));
            books.put(key, new CachedBook(currentEpoch, active.validUntil(), actor.name(), actor.metadata(), book));
        }
        PermissionSet set = new PermissionSet(book, PermissionScope.PROJECT);
        if (memo != null) {
            memo.put(key, set);
        }
        return set;
    }

    /** Rules active now, and when the earliest temporary grant among them ends. */
    private record ActiveRules(List<Rule> rules, long validUntil) {}

    /** The active rules of an actor (a person, an identity or a group) in the project; 403 for a non-member. */
    private ActiveRules projectRules(String actorType, String actorId, String projectId, long now) {
        long validUntil = Long.MAX_VALUE;
        List<ProjectMembershipStore.GrantedRole> roles = memberships
                .rolesOf(projectId, actorType, actorId)
                .orElseThrow(() -> new ApiException(403, NOT_A_MEMBER, "You are not a member of this project"));
        List<Rule> rules = new ArrayList<>();
        for (ProjectMembershipStore.GrantedRole role : roles) {
            if (role.temporary()) {
                if (role.endTime() == null || now >= role.endTime()) {
                    continue;
                }
                validUntil = Math.min(validUntil, role.endTime());
            }
            if (role.customRoleId() != null) {
                if (role.customPermissions() != null) {
                    rules.addAll(customRoles.rules(
                            role.customRoleId(),
                            "custom-role:" + role.role(),
                            role.customPermissions(),
                            role.customUpdatedAt()));
                }
            } else {
                BuiltInRoles.project(role.role()).ifPresent(rules::addAll);
            }
        }
        for (PrivilegeStore.PrivilegeRow p : privileges.of(projectId, actorType, actorId)) {
            if (p.temporary()) {
                if (p.endTime() == null || now >= p.endTime()) {
                    continue;
                }
                validUntil = Math.min(validUntil, p.endTime());
            }
            rules.addAll(customRoles.rules(p.id(), "privilege:" + p.slug(), p.permissions(), p.updatedAt()));
        }
        return new ActiveRules(rules, validUntil);
    }

    /** What a principal holds: its org rules, and its active rules in each project it is in. */
    record Holdings(List<Rule> org, Map<String, List<Rule>> projects) {}

    /**
     * What another person or identity holds right now, built the way its own requests build it:
     * its org rules (its org role and its groups' org roles) and, in every project it is in
     * (itself or through a group), its active project roles and additional privileges, temporary
     * ones until they end, each rendered for it (its name and metadata). Nothing is cached;
     * trusted IPs do not apply, as it is not the one asking. For {@link PrincipalBoundary}.
     */
    Holdings holdingsOf(Actor subject) {
        long now = clock.millis();
        Map<String, List<Rule>> projects = new LinkedHashMap<>();
        for (String projectId :
                memberships.projectsOf(subject.orgId(), subject.type().wire(), subject.id())) {
            projects.put(
                    projectId,
                    RuleTemplates.render(
                            projectRules(subject.type().wire(), subject.id(), projectId, now)
                                    .rules(),
                            subject));
        }
        return new Holdings(RuleTemplates.render(orgRules(subject), subject), projects);
    }

    /**
     * What a group holds: its org role, and its active roles in every project it is in. Every
     * member holds all of it. Templated rules stay as written (they are filled in per member), so
     * only a rule without such a condition covers them. For {@link PrincipalBoundary}.
     */
    Holdings holdingsOfGroup(String orgId, String groupId, String orgRole) {
        long now = clock.millis();
        Map<String, List<Rule>> projects = new LinkedHashMap<>();
        for (String projectId : memberships.projectsOf(orgId, "group", groupId)) {
            projects.put(
                    projectId, projectRules("group", groupId, projectId, now).rules());
        }
        return new Holdings(orgRoleRules(orgId, orgRole), projects);
    }

    /**
     * What a person, identity or group ({@code actorType} as stored) holds in one project right
     * now: its active roles there, its own and through groups, and its additional privileges;
     * none when it is not in the project. Templated rules stay as written, as for a group.
     */
    List<Rule> projectHoldingsOf(String actorType, String actorId, String projectId) {
        try {
            return projectRules(actorType, actorId, projectId, clock.millis()).rules();
        } catch (ApiException e) {
            if (NOT_A_MEMBER.equals(e.error())) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * The actor's permissions in a project, like {@link #project}, but no permissions at all
     * instead of a 403 when it is not a member. Trusted IPs still apply.
     */
    PermissionSet projectOrNone(Actor actor, String projectId) {
        try {
            return project(actor, projectId);
        } catch (ApiException e) {
            if (NOT_A_MEMBER.equals(e.error())) {
                return new PermissionSet(new RuleBook(List.of()), PermissionScope.PROJECT);
            }
            throw e;
        }
    }

    /** True when the actor is a member of the project (any role, even an expired one). */
    public boolean isMember(Actor actor, String projectId) {
        return memberships.find(projectId, actor.type().wire(), actor.id()).isPresent();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, PermissionSet> memo() {
        RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
        if (attrs == null) {
            return null;
        }
        Object memo = attrs.getAttribute(MEMO, RequestAttributes.SCOPE_REQUEST);
        if (memo == null) {
            memo = new HashMap<String, PermissionSet>();
            attrs.setAttribute(MEMO, memo, RequestAttributes.SCOPE_REQUEST);
        }
        return (Map<String, PermissionSet>) memo;
    }
}
