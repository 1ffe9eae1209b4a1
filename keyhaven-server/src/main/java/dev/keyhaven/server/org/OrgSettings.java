package dev.keyhaven.server.org;

import java.util.List;

/** An organization's name and security policy (issue "people": MFA, session length, login methods, domains). */
public record OrgSettings(
        String id,
        String name,
        String slug,
        boolean enforceMfa,
        String selectedMfaMethod,
        String userTokenExpiration,
        List<String> allowedLoginMethods,
        List<String> allowedEmailDomains,
        String defaultMembershipRole,
        long createdAt,
        long updatedAt) {}
