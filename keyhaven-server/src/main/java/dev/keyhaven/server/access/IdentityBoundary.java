package dev.keyhaven.server.access;

import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The permission boundary around a machine identity. Whoever attaches, changes or detaches one of
 * its auth methods, mints or revokes its credentials, renames it, edits its metadata, changes its
 * org role or deletes it could log in as it or change what it may do, so they must hold at least
 * everything it holds: its org role and its groups' org roles, and in every project it is in
 * (itself or through a group) its project roles and additional privileges, temporary ones while
 * they last, with templated rules rendered for it. "Hold" is the containment every grant uses
 * ({@link PermissionSet#coversAllOf}), so an org admin who is in those projects passes and a
 * member never reaches an admin identity. Edits that change what the identity may do are checked
 * again on the identity as it would be after them.
 */
@Component
public class IdentityBoundary {
    private final PermissionService permissions;

    IdentityBoundary(PermissionService permissions) {
        this.permissions = permissions;
    }

    /**
     * Refuses (403) unless the actor holds at least everything the identity holds now. The
     * identity is given as the evaluator sees it: its id, name, org, org role and metadata.
     */
    public void requireCovers(Actor actor, Actor identity) {
        String gap = gap(actor, identity);
        if (gap != null) {
            throw ApiException.forbidden("The identity '" + identity.name() + "' has permissions you do not hold (" + gap
                    + "). Only someone holding at least its permissions may change how it logs in, mint or revoke its "
                    + "credentials, or change or delete it; ask an org admin who is in its projects.");
        }
    }

    /**
     * Refuses (403) unless the actor holds at least everything the identity would hold after an
     * edit (its new name, metadata or org role), given as it would then be.
     */
    public void requireCoversAfter(Actor actor, Actor identityAfter) {
        String gap = gap(actor, identityAfter);
        if (gap != null) {
            throw ApiException.forbidden("After this change the identity '" + identityAfter.name()
                    + "' would have permissions you do not hold (" + gap + "); the change was not made.");
        }
    }

    /** Where the identity holds more than the actor, or null when the actor holds it all. */
    private String gap(Actor actor, Actor identity) {
        PermissionService.Holdings held = permissions.holdingsOf(identity);
        if (!permissions.org(actor).coversAllOf(new PermissionSet(held.org()))) {
            return "in the organization: its org role '" + identity.orgRole() + "' or its groups' org roles";
        }
        for (Map.Entry<String, List<Rule>> project : held.projects().entrySet()) {
            if (project.getValue().stream().allMatch(Rule::inverted)) {
                continue;
            }
            PermissionSet mine = permissions.projectOrNone(actor, project.getKey());
            if (!mine.coversAllOf(new PermissionSet(project.getValue()))) {
                return mine.rules().isEmpty() ? "in a project you have no access to"
                        : "in project " + project.getKey() + ": its project roles or additional privileges there";
            }
        }
        return null;
    }
}
