package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The permission boundary around a principal: a machine identity, a person or a group. Whoever
 * acts on one (changes how an identity logs in or mints its credentials, changes a person's org
 * role, deactivates or removes them or ends their sessions, renames, re-roles or deletes a group
 * or takes someone out of it, changes a principal's roles or privileges in a project) must hold
 * at least everything it holds:
 * <ul>
 * <li>a person or an identity: its org role and its groups' org roles, and in every project it
 * is in (itself or through a group) its project roles and additional privileges, temporary ones
 * while they last, with templated rules rendered for it;
 * <li>a group: its org role, and its roles in every project it is in;
 * <li>in one project (for membership and privilege changes there): its roles and privileges in
 * that project.
 * </ul>
 * "Hold" is the containment every grant uses ({@link PermissionSet#coversAllOf}), so an org
 * admin who is in those projects passes and nobody reaches a principal above them; there is no
 * special case for any role. Edits that change what the principal may do are checked again on
 * the principal as it would be after them. A refusal is a 403 that says where the gap is.
 */
@Component
public class PrincipalBoundary {
    private static final String IDENTITY_HINT = "Only someone holding at least its permissions may change how it logs "
            + "in, mint or revoke its credentials, or change or delete it; ask an org admin who is in its projects.";
    private static final String PERSON_HINT = "Only someone holding at least their permissions may change their org "
            + "role, deactivate or remove them, end their sessions or resend their invitation; ask an org admin who is "
            + "in their projects.";
    private static final String GROUP_HINT = "Only someone holding at least the group's permissions may rename it, "
            + "change its org role, delete it or take members out of it; ask an org admin who is in its projects.";

    private final PermissionService permissions;

    PrincipalBoundary(PermissionService permissions) {
        this.permissions = permissions;
    }

    /**
     * Refuses (403) unless the actor holds at least everything the person or identity holds now.
     * The subject is given as the evaluator sees it: its type, id, name, org, org role and metadata.
     */
    public void requireCovers(Actor actor, Actor subject) {
        String gap = gap(actor, permissions.holdingsOf(subject), orgGap(subject), possessive(subject));
        if (gap != null) {
            throw ApiException.forbidden(describe(subject) + " has permissions you do not hold (" + gap + "). "
                    + (subject.isUser() ? PERSON_HINT : IDENTITY_HINT));
        }
    }

    /**
     * Refuses (403) unless the actor holds at least everything the person or identity would hold
     * after an edit (its new org role, name or metadata), given as it would then be.
     */
    public void requireCoversAfter(Actor actor, Actor subjectAfter) {
        String gap = gap(actor, permissions.holdingsOf(subjectAfter), orgGap(subjectAfter), possessive(subjectAfter));
        if (gap != null) {
            throw ApiException.forbidden(
                    "After this change " + describe(subjectAfter).replaceFirst("^The", "the")
                            + " would have permissions you do not hold (" + gap + "); the change was not made.");
        }
    }

    /** Refuses (403) unless the actor holds at least the group's org role and its roles in every project it is in. */
    void requireCoversGroup(Actor actor, GroupStore.GroupRow group) {
        String gap = gap(
                actor, permissions.holdingsOfGroup(group.orgId(), group.id(), group.role()), groupOrgGap(group), "its");
        if (gap != null) {
            throw ApiException.forbidden(
                    "The group '" + group.name() + "' has permissions you do not hold (" + gap + "). " + GROUP_HINT);
        }
    }

    /** Refuses (403) unless the actor holds at least what the group would hold after an edit (its new org role). */
    void requireCoversGroupAfter(Actor actor, GroupStore.GroupRow after) {
        String gap = gap(
                actor, permissions.holdingsOfGroup(after.orgId(), after.id(), after.role()), groupOrgGap(after), "its");
        if (gap != null) {
            throw ApiException.forbidden("After this change the group '" + after.name()
                    + "' would have permissions you do not hold (" + gap + "); the change was not made.");
        }
    }

    /**
     * Refuses (403) unless the actor holds, in the project, at least everything a person, identity
     * or group ({@code actorType} as stored: {@code user}, {@code identity}, {@code group}) holds
     * there: its roles, its own and through groups, and its additional privileges. For changes to
     * its roles or privileges in that project and for its removal from it.
     */
    void requireCoversInProject(Actor actor, String projectId, String actorType, String actorId) {
        List<Rule> held = permissions.projectHoldingsOf(actorType, actorId, projectId);
        if (!permissions.project(actor, projectId).coversAllOf(new PermissionSet(held))) {
            String who = switch (actorType) {
                case "user" -> "This person";
                case "group" -> "This group";
                default -> "This identity";
            };
            throw ApiException.forbidden(who + " has permissions you do not hold in this project (its project roles "
                    + "or additional privileges there). Only someone holding at least those may change its roles or "
                    + "privileges here or remove it from the project; ask a project admin.");
        }
    }

    private static String describe(Actor subject) {
        return subject.isUser()
                ? "The person '" + (subject.email() != null ? subject.email() : subject.name()) + "'"
                : "The identity '" + subject.name() + "'";
    }

    private static String possessive(Actor subject) {
        return subject.isUser() ? "their" : "its";
    }

    private static String orgGap(Actor subject) {
        String its = possessive(subject);
        return "in the organization: " + its + " org role '" + subject.orgRole() + "' or " + its + " groups' org roles";
    }

    private static String groupOrgGap(GroupStore.GroupRow group) {
        return "in the organization: its org role '" + group.role() + "'";
    }

    /** Where the holdings exceed the actor's, or null when the actor holds them all. */
    private String gap(Actor actor, PermissionService.Holdings held, String orgGap, String its) {
        if (!permissions.org(actor).coversAllOf(new PermissionSet(held.org()))) {
            return orgGap;
        }
        for (Map.Entry<String, List<Rule>> project : held.projects().entrySet()) {
            if (project.getValue().stream().allMatch(Rule::inverted)) {
                continue;
            }
            PermissionSet mine = permissions.projectOrNone(actor, project.getKey());
            if (!mine.coversAllOf(new PermissionSet(project.getValue()))) {
                return mine.rules().isEmpty()
                        ? "in a project you have no access to"
                        : "in project " + project.getKey() + ": " + its
                                + " project roles or additional privileges there";
            }
        }
        return null;
    }
}
