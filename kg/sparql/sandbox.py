"""Confinement of a query worker process: no network, bounded memory (Linux).

The query check decides from a parse what a query does; this is the second wall, for the day a parser
disagreement lets a SERVICE through: the engine (Oxigraph, built with its HTTP client) then has no network
to reach. pyoxigraph offers no switch to turn its SERVICE handler off, so the process is confined instead:
  1. a network namespace of its own (unshare(CLONE_NEWNET); as a user without privileges, inside a user
     namespace), where no interface is up: every connect fails with "network is unreachable";
  2. and, where libseccomp is present (Debian's libseccomp2, which apt itself needs), a seccomp filter that
     makes socket(AF_INET | AF_INET6, …) fail, which holds even where namespaces are not allowed.
The pipe to the server is a socket pair opened before, so it keeps working.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import socket

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


class SandboxError(RuntimeError):
    """The process could not be confined."""


def _unshare_network() -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        # map our own ids, so that files keep their owner inside the user namespace
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            try:
                with open(f"/proc/self/{name}", "w") as fh:
                    fh.write(text)
            except OSError:
                pass
        return True
    return False


class _ArgCmp(ctypes.Structure):
    _fields_ = (("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64))  # fmt: skip


_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_CMP_EQ = 4


def _seccomp_no_inet() -> bool:
    name = ctypes.util.find_library("seccomp")
    if name is None:
        return False
    lib = ctypes.CDLL(name, use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = (ctypes.c_uint32,)
    lib.seccomp_syscall_resolve_name.argtypes = (ctypes.c_char_p,)
    lib.seccomp_rule_add.argtypes = (ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, _ArgCmp)
    lib.seccomp_load.argtypes = (ctypes.c_void_p,)
    lib.seccomp_release.argtypes = (ctypes.c_void_p,)
    ctx = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not ctx:
        return False
    try:
        nr = lib.seccomp_syscall_resolve_name(b"socket")
        deny = 0x00050000 | errno.EACCES  # SCMP_ACT_ERRNO(EACCES)
        for family in (socket.AF_INET, socket.AF_INET6):
            if lib.seccomp_rule_add(ctx, deny, nr, 1, _ArgCmp(0, _SCMP_CMP_EQ, family, 0)) != 0:
                return False
        return lib.seccomp_load(ctx) == 0
    finally:
        lib.seccomp_release(ctx)


def deny_network() -> list[str]:
    """Confine this process away from the network; the walls put up. Raises SandboxError if none could be."""
    walls = []
    if _unshare_network():
        walls.append("network namespace")
    if _seccomp_no_inet():
        walls.append("seccomp")
    if not walls:
        raise SandboxError("neither a network namespace nor a seccomp filter could be set up")
    return walls


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space: an allocation past it fails, and the process dies or says so."""
    cap = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
