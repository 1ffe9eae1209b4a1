package dev.keyhaven.server.auditretention;

/**
 * An organization's or project's audit retention as stored: {@code days} null means the default
 * (the instance's for an org, the org's for a project); {@code legalHold} applies to orgs only.
 */
record RetentionPolicy(String orgId, String projectId, Integer days, boolean legalHold) {
    /** About a hundred years: the longest retention a policy may name. */
    static final int MAX_DAYS = 36_500;

    static RetentionPolicy none(String orgId, String projectId) {
        return new RetentionPolicy(orgId, projectId, null, false);
    }

    /**
     * The days rows are kept under this org policy, or 0 for ever: the org's own days, else the
     * instance default.
     */
    int effectiveOrgDays(int instanceDefault) {
        return days != null ? days : instanceDefault;
    }

    /** The days a project under {@code orgDays} keeps rows (0 = for ever): its own when shorter. */
    static int effectiveProjectDays(Integer projectDays, int orgDays) {
        if (projectDays == null) {
            return orgDays;
        }
        return orgDays == 0 ? projectDays : Math.min(projectDays, orgDays);
    }
}
