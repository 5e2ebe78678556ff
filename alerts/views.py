"""The reader's side of email subscriptions: subscribe, confirm, unsubscribe, manage.

None of these pages is cached (``never_cache``: ``Cache-Control: no-store``), none is indexed, and
none names an address except the preference page, reached only by its signed link.

The subscription form sits on cached public pages, so it carries no CSRF token; instead a POST
whose Origin (or, without one, Referer) names another site is refused. The links of the mails
are their own proof: confirming and unsubscribing need nothing but the signed token, so a mail
provider's one-click POST (RFC 8058), which has no cookie, works. The preference page's forms
carry a CSRF token like any other.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.security import client_ip

from . import links, ratelimit, selections
from .forms import ManageForm, SubscribeForm
from .models import Selection, Subscriber, Subscription
from .subscribing import preference_change, subscription_request

# Token pages name no canonical address of their own (the token is the reader's).
PRIVATE = {"canonical_url": ""}


def _page(request, template, context=None, status=200):
    return render(request, f"alerts/{template}.html", {**PRIVATE, **(context or {})}, status=status)


def _manage_path(subscriber):
    """The preference page's address on this site (a page links to itself, not to SITE_URL)."""
    return reverse("alerts:manage", args=[links.manage_token(subscriber)])


def _bad_link(request, reason=None):
    return _page(request, "bad_link", {"reason": reason}, status=400)


def _describe(query):
    """Return (label, page address) of a canonical query, or (None, None) if it names nothing."""
    filters = selections.filters_of(query)
    if filters is None:
        return None, None
    return selections.label_of(filters), selections.page_of(query, filters)


def _same_site(request):
    """Whether a POST came from this site's own pages, judged by its Origin or Referer header.

    A request with neither (a script, a privacy tool) is let through: a browser posting from
    another site always sends an Origin.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    trusted = {f"{request.scheme}://{request.get_host()}".lower()}
    trusted.update(value.lower().rstrip("/") for value in settings.CSRF_TRUSTED_ORIGINS)
    if settings.SITE_URL:
        site = urlsplit(settings.SITE_URL)
        trusted.add(f"{site.scheme}://{site.netloc}".lower())
    return origin in trusted


def _form_page(request, form, follow, status):
    """The subscription form on a page of its own, with any mistakes beside their fields."""
    if follow is None:  # what the form was to follow cannot be followed: say why, no form
        return _page(request, "subscribe", {"follow_error": form.errors["follow"][0]}, status=status)
    label, page = _describe(follow)
    context = {"form": form, "follow": follow, "label": label, "page_url": page}
    return _page(request, "subscribe", context, status=status)


@csrf_exempt
@never_cache
def subscribe(request):
    """GET: the form for ``?follow=`` (a page's filters); POST: ask for a subscription."""
    if request.method == "POST":
        return _subscribe_post(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        follow = selections.canonical(QueryDict(request.GET.get("follow", "")))
    except ValidationError as error:
        return _page(request, "subscribe", {"follow_error": error.messages[0]}, status=400)
    return _form_page(request, None, follow, status=200)


def _subscribe_post(request):
    if not _same_site(request):
        return _page(request, "forbidden", status=403)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        follow = form.cleaned_data.get("follow")
        return _form_page(request, form, follow, status=400)
    email, follow = form.cleaned_data["email"], form.cleaned_data["follow"]
    if not ratelimit.allow(address=email, client=client_ip(request)):
        return _page(request, "limited", status=429)
    try:
        subscription_request(email=email, query=follow, frequency=form.cleaned_data["frequency"])
    except ValidationError as error:  # a term removed between the check and the write
        return _page(request, "subscribe", {"follow_error": error.messages[0]}, status=400)
    return redirect(f"{reverse('alerts:sent')}?{urlencode({'follow': follow})}")


@never_cache
def sent(request):
    """Check your inbox: the same page whatever the address was, new, waiting or confirmed."""
    follow = request.GET.get("follow", "")
    label, page = _describe(follow)
    context = {"label": label, "page_url": page, "hours": settings.ALERTS_CONFIRM_HOURS}
    context["nothing_yet"] = label is not None and not selections.matches_anything(follow)
    return _page(request, "sent", context)


def _expired(request, token):
    """The page of an expired confirmation link, with the form to ask for a new one."""
    try:
        subscription_id, selection_id = links.read_expired_confirm_token(token)
    except links.BadLink:
        return _bad_link(request)
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    selection = Selection.objects.filter(
        pk=subscription.selection_id if subscription else selection_id
    ).first()
    follow = selection.query if selection else ""
    label, page = _describe(follow)
    context = {
        "form": SubscribeForm(initial={"follow": follow}),
        "follow": follow,
        "label": label,
        "page_url": page,
    }
    return _page(request, "expired", {**context, "hours": settings.ALERTS_CONFIRM_HOURS}, status=410)


@csrf_exempt
@never_cache
def confirm(request, token):
    """GET: a page with a Confirm button (mail scanners follow links; only a person presses it);
    POST: confirm, spending the link."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        subscription_id, nonce = links.read_confirm_token(token)
    except links.ExpiredLink:
        return _expired(request, token)
    except links.BadLink:
        return _bad_link(request)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("selection", "subscriber")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None:
            return _bad_link(request, _("The subscription this link was for has been removed."))
        context = {"subscription": subscription, "manage_url": _manage_path(subscription.subscriber)}
        if not nonce or nonce != subscription.confirm_nonce:
            if subscription.confirmed_at is not None:
                return _page(request, "confirmed", {**context, "already": True})
            return _page(request, "link_used", context, status=410)
        if request.method != "POST":
            return _page(request, "confirm", context)
        subscription.confirmed_at = timezone.now()
        subscription.confirm_nonce = ""
        subscription.save(update_fields=["confirmed_at", "confirm_nonce"])
    return _page(request, "confirmed", context)


def _subscription_of(token):
    """Return the subscription an unsubscribe token names (None if it is gone), or raise BadLink."""
    subscription_id, secret = links.read_unsubscribe_token(token)
    subscription = (
        Subscription.objects.select_related("subscriber", "selection").filter(pk=subscription_id).first()
    )
    if subscription is None or subscription.subscriber.secret[:16] != secret:
        return None
    return subscription


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    """GET: a page with one Unsubscribe button; POST (that button, or a mail program's RFC 8058
    one-click ``List-Unsubscribe=One-Click``): remove the subscription at once."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        subscription = _subscription_of(token)
    except links.BadLink:
        return _bad_link(request)
    if subscription is None:
        return _page(request, "unsubscribed", {"gone": True})
    context = {"subscription": subscription, "manage_url": _manage_path(subscription.subscriber)}
    if request.method != "POST":
        return _page(request, "unsubscribe", context)
    label, page = subscription.selection.label, subscription.selection.page
    subscription.delete()
    return _page(request, "unsubscribed", {**context, "label": label, "page_url": page})


def _subscriber_of(token):
    subscriber_id, secret = links.read_manage_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.secret[:16] != secret:
        raise links.BadLink
    return subscriber


@never_cache
def manage(request, token):
    """The preference page of one address: its subscriptions, how often, and deleting it all."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        subscriber = _subscriber_of(token)
    except links.BadLink:
        return _bad_link(
            request,
            _("This link to a preference page is not valid, or the address it was for has been deleted."),
        )
    if request.method == "POST":
        form = ManageForm(request.POST, subscriber=subscriber)
        if not form.is_valid():
            messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
            return redirect(request.path)
        done = preference_change(subscriber, form.cleaned_data)
        if done is None:  # the address itself was deleted
            return _page(request, "deleted")
        messages.success(request, done)
        return redirect(request.path)
    subscriptions = subscriber.subscriptions.select_related("selection").order_by("selection__label", "pk")
    context = {
        "subscriber": subscriber,
        "subscriptions": subscriptions,
        "frequencies": Subscription.Frequency.choices,
    }
    return _page(request, "manage", context)
