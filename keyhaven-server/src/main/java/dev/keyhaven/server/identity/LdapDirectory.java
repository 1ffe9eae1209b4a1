package dev.keyhaven.server.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.springframework.stereotype.Component;

/**
 * The directory side of LDAP auth, with the UnboundID SDK: connect (LDAPS, or StartTLS, trusting
 * the configured CA and checking the certificate against the URL's host name), bind as the service account, find the user with
 * the search filter (the username escaped as a filter value, so {@code *)(uid=*} stays a literal),
 * check the access rules, and bind as the user's DN with the given password. The host is checked
 * against the outbound rules of {@link OutboundHttp} after DNS resolution and the connection goes
 * to exactly the checked addresses; referrals are never followed; every step has a timeout.
 */
@Component
class LdapDirectory {
    static final String PLACEHOLDER = "{{username}}";
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final long RESPONSE_TIMEOUT_MILLIS = 10_000;
    static final int SEARCH_TIME_LIMIT_SECONDS = 10;

    private final OutboundHttp outbound;
    private final Cache<String, SSLContext> tlsContexts = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    LdapDirectory(OutboundHttp outbound) {
        this.outbound = outbound;
    }

    /** Where and how to reach the directory, and as whom to search it. */
    record Server(String url, boolean startTls, String caCert, String bindDn, String bindPass) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /** Where to look for users. */
    record Search(String base, String filter, LdapAccessRules rules) {}

    /** The answer for one username and password: accepted with the user's DN, or refused with a reason to audit. */
    record Verdict(boolean accepted, String userDn, String reason) {
        static Verdict refused(String reason) {
            return new Verdict(false, null, reason);
        }
    }

    /** The directory could not be asked (unreachable, TLS, service account refused); the message is safe to audit. */
    static class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Checks a username and password. An empty password is refused here, before any bind: LDAP
     * treats a simple bind with a DN and no password as an unauthenticated bind that succeeds.
     */
    Verdict authenticate(Server server, Search search, String username, String password) {
        if (password == null || password.isEmpty()) {
            return Verdict.refused("empty password");
        }
        Filter filter;
        try {
            filter = userFilter(search.filter(), username);
        } catch (IllegalArgumentException e) {
            throw new Unavailable(e.getMessage());
        }
        LDAPConnection c = connect(server);
        try {
            bindServiceAccount(c, server);
            List<SearchResultEntry> found = findUsers(c, search, filter);
            if (found.size() != 1) {
                // bind anyway, so that an unknown user costs the same round trip as a wrong password
                timingBind(c, search.base());
                return Verdict.refused(
                        found.isEmpty()
                                ? "user not found"
                                : "the search filter matches more than one entry for the username");
            }
            SearchResultEntry user = found.get(0);
            String violation = search.rules().violation(user);
            if (violation == null
                    && !search.rules().groups().isEmpty()
                    && !memberOfAny(c, user, search.rules().groups())) {
                violation = "user " + user.getDN() + " is not a member of allowedGroups";
            }
            ResultCode bind = bindUser(c, user.getDN(), password);
            if (bind != ResultCode.SUCCESS) {
                return Verdict.refused("bind as " + user.getDN() + " refused (" + bind.getName() + ")");
            }
            return violation != null ? Verdict.refused(violation) : new Verdict(true, user.getDN(), null);
        } finally {
            c.close();
        }
    }

    /** The search filter with the username in place of {@code {{username}}}, escaped as a filter value. */
    static Filter userFilter(String template, String username) {
        try {
            return Filter.create(template.replace(PLACEHOLDER, Filter.encodeValue(username)));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("invalid LDAP search filter: " + e.getExceptionMessage(), e);
        }
    }

    /** Parses an {@code ldap://host[:port]} or {@code ldaps://host[:port]} URL; nothing else is accepted. */
    static LDAPURL parseUrl(String url) {
        LDAPURL u;
        try {
            u = new LDAPURL(url);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("Invalid LDAP URL", e);
        }
        if (!u.hostProvided()
                || u.baseDNProvided()
                || u.attributesProvided()
                || u.scopeProvided()
                || u.filterProvided()) {
            throw new IllegalArgumentException("Expected ldap://host[:port] or ldaps://host[:port]");
        }
        return u;
    }

    private LDAPConnection connect(Server s) {
        LDAPURL url = parseUrl(s.url());
        boolean ldaps = url.getScheme().equalsIgnoreCase("ldaps");
        InetAddress[] addresses;
        try {
            addresses = outbound.checkHost(url.getHost());
        } catch (OutboundHttp.OutboundException e) {
            throw new Unavailable(e.getMessage());
        }
        SSLSocketFactory tls =
                ldaps || s.startTls() ? new LdapTlsSocketFactory(tls(s.caCert()).getSocketFactory()) : null;
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
        options.setResponseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS);
        options.setAbandonOnTimeout(true);
        options.setFollowReferrals(false);
        options.setBindWithDNRequiresPassword(true);
        options.setUseSchema(false);
        LDAPConnection c = ldaps ? new LDAPConnection(tls, options) : new LDAPConnection(options);
        LDAPException last = null;
        for (InetAddress address : addresses) {
            try {
                // the checked address, labelled with the URL's host: TLS checks the certificate against that name
                c.connect(
                        url.getHost(),
                        InetAddress.getByAddress(url.getHost(), address.getAddress()),
                        url.getPort(),
                        CONNECT_TIMEOUT_MILLIS);
                last = null;
                break;
            } catch (LDAPException e) {
                last = e;
            } catch (UnknownHostException e) {
                throw new Unavailable("invalid address for " + url.getHost());
            }
        }
        if (last != null) {
            throw new Unavailable(
                    "cannot connect to " + url.getHost() + ":" + url.getPort() + " (" + describe(last) + ")");
        }
        if (s.startTls()) {
            try {
                ExtendedResult r = c.processExtendedOperation(new StartTLSExtendedRequest(tls));
                if (r.getResultCode() != ResultCode.SUCCESS) {
                    throw new LDAPException(r.getResultCode(), "the server refused StartTLS");
                }
            } catch (LDAPException e) {
                c.close();
                throw new Unavailable(
                        "StartTLS with " + url.getHost() + ":" + url.getPort() + " failed (" + describe(e) + ")");
            }
        }
        return c;
    }

    private SSLContext tls(String caCert) {
        if (caCert == null || caCert.isBlank()) {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new Unavailable("no default TLS context");
            }
        }
        try {
            return tlsContexts.get(caCert, OutboundHttp::sslContext);
        } catch (OutboundHttp.OutboundException e) {
            throw new Unavailable(e.getMessage());
        }
    }

    private static void bindServiceAccount(LDAPConnection c, Server s) {
        try {
            c.bind(new SimpleBindRequest(s.bindDn(), s.bindPass()));
        } catch (LDAPException e) {
            throw new Unavailable("the service account (bindDN) could not bind ("
                    + e.getResultCode().getName() + ")");
        }
    }

    /** At most two entries: one is the user, two means the filter is ambiguous. */
    private static List<SearchResultEntry> findUsers(LDAPConnection c, Search search, Filter filter) {
        SearchRequest request = new SearchRequest(
                search.base(),
                SearchScope.SUB,
                DereferencePolicy.NEVER,
                2,
                SEARCH_TIME_LIMIT_SECONDS,
                false,
                filter,
                search.rules().attributes());
        try {
            return c.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return Collections.nCopies(2, (SearchResultEntry) null);
            }
            throw new Unavailable("the user search failed (" + e.getResultCode().getName() + ")");
        }
    }

    /** Member by the user's {@code memberOf}, or by the group's {@code member}, {@code uniqueMember} or {@code memberUid}. */
    private static boolean memberOfAny(LDAPConnection c, SearchResultEntry user, List<String> groups) {
        String[] memberOf = user.getAttributeValues("memberOf");
        List<Filter> memberFilters = new ArrayList<>(List.of(
                Filter.createEqualityFilter("member", user.getDN()),
                Filter.createEqualityFilter("uniqueMember", user.getDN())));
        String[] uids = user.getAttributeValues("uid");
        if (uids != null) {
            for (String uid : uids) {
                memberFilters.add(Filter.createEqualityFilter("memberUid", uid));
            }
        }
        Filter isMember = Filter.createORFilter(memberFilters);
        for (String group : groups) {
            DN groupDn = LdapAccessRules.parseDn(group);
            if (memberOf != null && groupDn != null) {
                for (String m : memberOf) {
                    if (groupDn.equals(LdapAccessRules.parseDn(m))) {
                        return true;
                    }
                }
            }
            try {
                SearchResult r = c.search(new SearchRequest(
                        group,
                        SearchScope.BASE,
                        DereferencePolicy.NEVER,
                        1,
                        SEARCH_TIME_LIMIT_SECONDS,
                        true,
                        isMember,
                        "1.1"));
                if (r.getEntryCount() > 0) {
                    return true;
                }
            } catch (LDAPSearchException e) {
                if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                    throw new Unavailable(
                            "the group lookup failed (" + e.getResultCode().getName() + ")");
                }
            }
        }
        return false;
    }

    private static ResultCode bindUser(LDAPConnection c, String dn, String password) {
        try {
            return c.bind(new SimpleBindRequest(dn, password)).getResultCode();
        } catch (LDAPException e) {
            if (!ResultCode.isConnectionUsable(e.getResultCode())) {
                throw new Unavailable("the directory failed during the user bind ("
                        + e.getResultCode().getName() + ")");
            }
            return e.getResultCode();
        }
    }

    private static void timingBind(LDAPConnection c, String base) {
        try {
            DN nobody = new DN(new RDN("cn", "keyhaven-no-such-user-" + SecretDigests.randomHex(8)), new DN(base));
            c.bind(new SimpleBindRequest(nobody, SecretDigests.randomHex(16)));
        } catch (LDAPException e) {
            // expected: the entry does not exist
        }
    }

    /** The result code and the innermost cause (e.g. the TLS handshake's reason); never request data. */
    private static String describe(LDAPException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root.getMessage() == null) {
            return e.getResultCode().getName();
        }
        String message = root.getClass().getSimpleName() + ": " + root.getMessage();
        return e.getResultCode().getName() + ": "
                + (message.length() > 300 ? message.substring(0, 300) + "…" : message);
    }
}
