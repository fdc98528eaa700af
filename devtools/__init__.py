"""run.py's helpers, standard library only: the demo's processes, their supervisor, and
stopping process trees on every OS."""
