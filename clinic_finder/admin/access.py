"""Role checks for staff pages, enforced on the server for every admin route."""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from clinic_finder.extensions import login_manager
from clinic_finder.models import Role


def staff_required(*roles: Role):
    """Signed-in staff with one of the roles (any staff role when none is given); 403 for the wrong role."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            # A deactivated account's old session is not enough, whatever its cookie says.
            if not current_user.is_authenticated or not current_user.is_active:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                current_app.logger.warning("Refused %s %s to user %s (role %s)", request.method, request.path,
                                           current_user.id, current_user.role.value)
                abort(403, description="Your role does not allow this action.")
            return view(*args, **kwargs)

        # Read by the access-control test that walks every /admin rule.
        wrapped.required_roles = tuple(roles) or tuple(Role)
        return wrapped

    return decorator


admin_required = staff_required(Role.ADMIN)
moderator_required = staff_required(Role.ADMIN, Role.MODERATOR)
