"""The visitor's address, as every rate limit of the site counts it (sign-in, previews, diffs).

Behind `TRUSTED_PROXY_COUNT` proxies of ours (settings.ALLAUTH_TRUSTED_PROXY_COUNT, which
allauth reads too), the address is the one the farthest of them saw: the rightmost entries
of X-Forwarded-For are theirs, the others can be forged by the visitor. Unlike allauth's own
reader, a short or missing header never raises (a 500 or a 403): it falls back to REMOTE_ADDR.
"""

from django.conf import settings


def client_address(request):
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
