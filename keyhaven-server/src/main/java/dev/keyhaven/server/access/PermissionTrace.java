package dev.keyhaven.server.access;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Notes on the current request that a permission check ran, and which ones (scope, subject,
 * action), for {@link PermissionGuard}. Outside a request it notes nothing.
 */
final class PermissionTrace {
    static final String ATTRIBUTE = "keyhaven.permissionChecked";

    private boolean checked;
    private final Set<PermissionCheck> checks = new LinkedHashSet<>();

    private PermissionTrace() {}

    /** The trace of the current request, created on first use; null outside a request. */
    static PermissionTrace current() {
        RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
        if (attrs == null) {
            return null;
        }
        Object trace = attrs.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (trace == null) {
            trace = new PermissionTrace();
            attrs.setAttribute(ATTRIBUTE, trace, RequestAttributes.SCOPE_REQUEST);
        }
        return (PermissionTrace) trace;
    }

    /** Notes that a check ran; {@code check} says which, or is null when the set has no scope. */
    void record(PermissionCheck check) {
        checked = true;
        if (check != null) {
            checks.add(check);
        }
    }

    static boolean checked() {
        PermissionTrace trace = existing();
        return trace != null && trace.checked;
    }

    /** The checks that ran in the current request, in the order they first ran. */
    static Set<PermissionCheck> checks() {
        PermissionTrace trace = existing();
        return trace == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(trace.checks));
    }

    private static PermissionTrace existing() {
        RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
        return attrs == null ? null : (PermissionTrace) attrs.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }
}
