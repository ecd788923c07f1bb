"""Keep a search's large scratch arrays on the heap instead of fresh memory maps.

A search at 100,000 passages makes a dozen arrays of 0.4–0.8 MB (each run's sums, the fused
scores, the section support). glibc's malloc hands out blocks of that size as fresh memory maps
(above its mmap threshold, 128 KiB to start with, moved up and down as blocks are freed) and
gives them back to the system when freed, so every search pays page faults on memory it has just
returned: measured on the 100k benchmark library, a search took 7.2–10 ms in a plain process
and 4.3–5.4 ms with the blocks kept on the heap, the same code alternating in fresh processes.

`keep_large_blocks()` sets the mmap threshold to 64 MiB (the index and a build's big arrays
are larger and still get their own maps) and the trim threshold to 256 MiB (freed blocks stay
with the process for the next search). `KnowledgeBase` calls it when it is made (the first call
does the work); it does nothing where the C library is not glibc, and `OFFICE_BOT_SYSTEM_MALLOC=1`
turns it off.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 64 << 20
TRIM_THRESHOLD = 256 << 20

_done = False


def keep_large_blocks() -> bool:
    """Tune glibc's malloc as the module doc says; True when it was done (now or before)."""
    global _done
    if _done:
        return True
    if os.environ.get("OFFICE_BOT_SYSTEM_MALLOC") or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        gnu_get_libc_version = libc.gnu_get_libc_version  # glibc only (musl has no such function)
    except (OSError, AttributeError):
        return False
    gnu_get_libc_version.restype = ctypes.c_char_p
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    if mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 or mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) != 1:
        log.info("malloc tuning refused by glibc %s", gnu_get_libc_version().decode())
        return False
    _done = True
    return True
