"""run.py's helpers, standard library only: the venv's install, the demo's processes, their
supervisor, and stopping process trees on every OS."""
