package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Map;

/** A machine identity of one organization: what services, CI jobs and agents log in as. */
public record Identity(
        String id, String orgId, String name, List<Map<String, Object>> metadata, long createdAt, long updatedAt) {}
