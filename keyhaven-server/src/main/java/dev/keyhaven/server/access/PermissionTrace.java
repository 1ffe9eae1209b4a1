package dev.keyhaven.server.access;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** Notes on the current request that a permission check ran, for {@link PermissionGuard}. */
final class PermissionTrace {
    static final String ATTRIBUTE = "keyhaven.permissionChecked";

    private PermissionTrace() {}

    static void recordCheck() {
        RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
        if (attrs != null) {
            attrs.setAttribute(ATTRIBUTE, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
        }
    }

    static boolean checked() {
        RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
        return attrs != null && Boolean.TRUE.equals(attrs.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }
}
