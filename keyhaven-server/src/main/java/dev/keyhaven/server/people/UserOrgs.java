package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Which of a person's organizations their session works in. */
@Service
class UserOrgs {
    private final SessionService sessions;
    private final AccountStore accounts;

    UserOrgs(SessionService sessions, AccountStore accounts) {
        this.sessions = sessions;
        this.accounts = accounts;
    }

    Map<String, Object> select(Actor actor, String organizationId) {
        if (organizationId == null || organizationId.isBlank()) {
            throw dev.keyhaven.server.platform.web.ValidationException.required("organizationId");
        }
        Account a = accounts.byId(actor.id()).orElseThrow(() -> ApiException.unauthorized("Unknown account"));
        SessionStore.OrgChoice org = sessions.selectOrg(actor, organizationId, a);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("organizationId", org.orgId());
        m.put("mfaEnrollmentRequired", org.enforceMfa() && !a.hasMfa());
        return m;
    }

    boolean currentEnforcesMfa(Actor actor) {
        return actor.orgId() != null
                && sessions.orgsOf(actor.id()).stream()
                        .anyMatch(o -> o.orgId().equals(actor.orgId()) && o.enforceMfa());
    }
}
