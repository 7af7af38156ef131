"""Classic import path of the policy helpers; see :mod:`dockermap.compat.policy_utils`."""

from dockermap.compat import policy_utils as _policy_utils
from dockermap.compat.policy_utils import *  # noqa: F403

__all__ = _policy_utils.__all__
