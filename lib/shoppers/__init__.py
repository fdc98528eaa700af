"""Who is shopping: identity from sign-in, the decision per request, the sign-in policy, presenter access."""
