"""Random object ids with Stripe's prefixes (cs_test_, pi_, evt_, shr_, ...)."""
import secrets
import string

ALPHABET = string.ascii_letters + string.digits


def random_token(length: int) -> str:
    """A random string of url-safe letters and digits."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_id(prefix: str, length: int = 24) -> str:
    """A new id such as 'pi_3Nx...' made of the prefix and random alphanumerics."""
    return f"{prefix}_{random_token(length)}"


def new_session_id() -> str:
    """A Checkout Session id shaped like a test-mode one from Stripe (cs_test_ + 58 characters)."""
    return "cs_test_" + random_token(58)
