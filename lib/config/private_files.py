"""Files only this user may read: 0600 files in a 0700 folder (POSIX; elsewhere the OS's own),
in a folder git is told to ignore when this code creates it."""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

POSIX = os.name == "posix"
# Written into a data folder this code creates, whatever DATA_DIR names it: git then ignores
# everything in it (this file too), so no secret or database is committed by a `git add .`.
GITIGNORE = "# Storefront's data folder (DATA_DIR): secrets and databases, never committed.\n*\n"


def make_folder(path: Path) -> Path:
    """The folder, made 0700 (and its parents) if it is missing; one this call creates gets a
    .gitignore of GITIGNORE. An existing folder (the repository, a home folder) is left as it is."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        if path.is_dir():
            return path
        raise  # a file where the folder should be: the caller names the setting to fix
    create_private_text(path / ".gitignore", GITIGNORE)
    return path


def private_dir(path: Path) -> Path:
    """Create the data folder (and its parents) if needed and make it 0700 on POSIX."""
    path = make_folder(path)
    # An existing folder made 0755 (by another version or by hand) is tightened too, but
    # never a shared one such as /tmp (sticky bit): that would lock other users out of it.
    if POSIX and not path.stat().st_mode & stat.S_ISVTX:
        os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Create an empty 0600 file if it is missing (and tighten one that exists), in a private
    folder. SQLite gives its -wal, -shm and -journal files the database file's mode."""
    path = Path(path)
    make_folder(path.parent)  # its mode: private_dir's job
    # Never open an existing file: closing any descriptor of a file drops every POSIX lock
    # this process holds on it, so an SQLite connection already open here would lose its
    # locks and another process could write the same pages (lost commits).
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if POSIX:
        os.chmod(path, 0o600)
    return path


def create_private_text(path: Path, text: str) -> bool:
    """Write text to a new 0600 file; False, with nothing written, if the file already exists
    (so two processes racing keep the first one's secret). The file appears with its text
    already in it: a reader racing the writer never sees it empty."""
    path = Path(path)
    make_folder(path.parent)
    if path.exists():
        private_file(path)
        return False
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.link(draft, path)  # atomic, and refused when another writer got there first
    except FileExistsError:
        private_file(path)
        return False
    finally:
        draft.unlink(missing_ok=True)
    return True
