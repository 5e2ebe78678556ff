# The edge cache in front of the app (`make edge`; docs/operations.md explains each part).
#
# It keeps what the app marks as public (Cache-Control: public, s-maxage; an xkey header naming
# what the page shows) and nothing else; the app purges by those keys when something changes
# (core/edge.py), so pages can be kept a day and still be right within a second.
#
# backend.vcl, written by `make edge` from the environment, names the app (backend `app`, probed
# on /healthz) and the addresses allowed to purge (acl `purgers`).
vcl 4.1;

import std;
import xkey;

include "backend.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        # Only the app may purge: anyone else could empty the cache.
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from here"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header"));
        }
        # Soft: a purged page is never served while the app is up (req.grace below) but is kept,
        # in case the app goes down before it is fetched again.
        set req.http.n-gone = xkey.softpurge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff (a session) and anything authenticated are never served from or into the cache.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # A reader's other cookies (the CSRF token, analytics) change nothing on a public page.
    unset req.http.Cookie;
    # Campaign tags no page reads are taken off before the lookup, so links from a newsletter or
    # a social network share one copy; the app sends any other unread parameter to the address
    # without it (a 301 this cache does not keep), and the order of parameters does not matter.
    set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)=[^&]*", "\1");
    set req.url = regsuball(req.url, "[?&]+$", "");
    set req.url = regsuball(req.url, "\?&+", "?");
    set req.url = regsuball(req.url, "&&+", "&");
    set req.url = std.querysort(req.url);
    # While the app answers its probe, a purged or expired page is fetched again before it is
    # served: a change shows at once. When it does not (the database or the app is down), pages
    # are served stale for up to a day (grace) instead of an error.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Kept only when the app said so: public, with what it shows named. Anything else (the admin,
    # previews, forms with a CSRF cookie, 404s, redirects of junk parameters) goes straight through.
    if (!beresp.http.xkey || beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public"
        || beresp.status != 200) {
        # Remembered as "not cacheable" for a few seconds, so requests for it do not queue.
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # TTL comes from s-maxage; stale copies are kept a day past it, for grace while the app is down.
    set beresp.grace = 24h;
    set beresp.keep = 0s;
    return (deliver);
}

sub vcl_backend_error {
    # A fetch that fails while a stale copy exists: the client gets the stale copy (vcl_hit
    # delivered it already under grace); otherwise a short 503 page.
    set beresp.http.Retry-After = "10";
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for this cache alone: readers need not see what the app tags pages with.
    if (!req.http.X-Show-Keys) {
        unset resp.http.xkey;
    }
}
