package dev.keyhaven.server.access;

import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Builds an actor's effective permissions: in the org from its org role (built-in or custom), in a
 * project from the union of its active project roles (built-in or custom) and active additional
 * privileges. A temporary grant counts until its end time and not a millisecond longer; no job has
 * to switch it off. Results are memoised per request only, so a revoked role fails on the very
 * next request on every node.
 */
@Service
public class PermissionService {
    private static final String MEMO = "keyhaven.permissionMemo";
    private final ProjectMembershipStore memberships;
    private final PrivilegeStore privileges;
    private final OrgRoleStore orgRoles;
    private final CustomRoleRules customRoles;
    private final ProjectIpAllowlist ipAllowlist;
    private final Clock clock;

    public PermissionService(ProjectMembershipStore memberships, PrivilegeStore privileges, OrgRoleStore orgRoles,
            CustomRoleRules customRoles, ProjectIpAllowlist ipAllowlist, Clock clock) {
        this.memberships = memberships;
        this.privileges = privileges;
        this.orgRoles = orgRoles;
        this.customRoles = customRoles;
        this.ipAllowlist = ipAllowlist;
        this.clock = clock;
    }

    public PermissionSet org(Actor actor) {
        List<Rule> builtIn = BuiltInRoles.org(actor.orgRole()).orElse(null);
        if (builtIn != null) {
            return new PermissionSet(builtIn);
        }
        Map<String, PermissionSet> memo = memo();
        String key = "org:" + actor.orgId() + ":" + actor.orgRole();
        PermissionSet cached = memo == null ? null : memo.get(key);
        if (cached != null) {
            return cached;
        }
        PermissionSet set = new PermissionSet(RuleTemplates.render(orgRoles.bySlug(actor.orgId(), actor.orgRole())
                .map(r -> customRoles.rules(r.id(), "org-role:" + r.slug(), r.permissions(), r.updatedAt()))
                .orElse(List.of()), actor));
        if (memo != null) {
            memo.put(key, set);
        }
        return set;
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
        PermissionSet cached = memo == null ? null : memo.get(key);
        if (cached != null) {
            return cached;
        }
        ipAllowlist.check(actor, projectId);
        List<ProjectMembershipStore.GrantedRole> roles = memberships.rolesOf(projectId, actor.type().wire(), actor.id())
                .orElseThrow(() -> new ApiException(403, "ProjectMembershipNotFound",
                        "You are not a member of this project"));
        long now = clock.millis();
        List<Rule> rules = new ArrayList<>();
        for (ProjectMembershipStore.GrantedRole role : roles) {
            if (role.temporary() && (role.endTime() == null || now >= role.endTime())) {
                continue;
            }
            if (role.customRoleId() != null) {
                if (role.customPermissions() != null) {
                    rules.addAll(customRoles.rules(role.customRoleId(), "custom-role:" + role.role(), role.customPermissions(),
                            role.customUpdatedAt()));
                }
            } else {
                BuiltInRoles.project(role.role()).ifPresent(rules::addAll);
            }
        }
        for (PrivilegeStore.PrivilegeRow p : privileges.of(projectId, actor.type().wire(), actor.id())) {
            if (p.temporary() && (p.endTime() == null || now >= p.endTime())) {
                continue;
            }
            rules.addAll(customRoles.rules(p.id(), "privilege:" + p.slug(), p.permissions(), p.updatedAt()));
        }
        PermissionSet set = new PermissionSet(RuleTemplates.render(rules, actor));
        if (memo != null) {
            memo.put(key, set);
        }
        return set;
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
