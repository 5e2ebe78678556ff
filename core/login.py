"""The login throttle's bookkeeping (django-axes)."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a sign-in clearing only that account's own failures.

    With lockouts by account name *and* by address, axes' reset on success deletes every failure
    matching either: one sign-in as ``contributor`` wiped the address's failures against
    ``editor``, so an attacker holding one account could guess another's password forever.
    Here a sign-in deletes only the failures recorded for the same account name from the same
    address (the person's own typos); the address's failures against other accounts, and anyone
    else's against this one, stay and run out with the cool-off as usual.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
