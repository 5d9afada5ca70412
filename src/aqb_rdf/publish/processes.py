"""Child processes of a build die with it, however it dies (Linux ``PR_SET_PDEATHSIG``).

A build killed with ``SIGKILL`` cannot stop its children; without this, its document workers
would wait for work forever and its JSON-LD writer would go on writing into a staging folder
the next build removes.
"""

from __future__ import annotations

import ctypes
import os
import signal
from typing import Final

_PR_SET_PDEATHSIG: Final = 1


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent ``parent`` ends.

    Call it first thing in a forked child, from the thread that will run it; where ``prctl``
    is not available it does nothing. If the parent ended before the request, exit now.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)
