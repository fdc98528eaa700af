"""The tutorial's map for learners: each step's place in the code, and that code's source."""
