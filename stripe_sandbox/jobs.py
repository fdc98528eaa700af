"""Scheduled work kept in the database so it survives a restart (the delayed payment's outcome)."""
from __future__ import annotations

import sqlite3


def schedule(conn: sqlite3.Connection, kind: str, object_id: str, due_at: float) -> None:
    """Queue a job of this kind for an object, to run at due_at."""
    conn.execute("INSERT INTO jobs (kind, object_id, due_at) VALUES (?, ?, ?)", (kind, object_id, due_at))


def due_jobs(conn: sqlite3.Connection, now: float) -> list[dict]:
    """Jobs whose time has come and that have not run."""
    rows = conn.execute("SELECT id, kind, object_id FROM jobs WHERE done = 0 AND due_at <= ? ORDER BY due_at",
                        (now,))
    return [dict(r) for r in rows]


def finish(conn: sqlite3.Connection, job_id: int) -> None:
    """Mark a job as run."""
    conn.execute("UPDATE jobs SET done = 1 WHERE id = ?", (job_id,))


def next_due(conn: sqlite3.Connection) -> float | None:
    """When the earliest pending job is due, if any."""
    return conn.execute("SELECT MIN(due_at) AS t FROM jobs WHERE done = 0").fetchone()["t"]
