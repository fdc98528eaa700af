"""Sign-out revokes: another session that took on the same demo shopper (as a copied cookie
would give it) is a guest on its next run."""
from lib.shoppers.identity import demo_shopper
from tests.fixtures_pages import open_page

ADA = demo_shopper("Ada Lovelace", "ada@example.com")


def test_signing_out_ends_every_other_session_of_that_shopper(app_env):
    owner = open_page("pages/account.py", ADA)
    thief = open_page("pages/orders.py", ADA)
    assert thief.session_state["shopper"] == ADA
    owner.button(key="sign_out").click().run()
    assert not owner.session_state["shopper"].signed_in

    thief.run()
    assert not thief.exception
    assert not thief.session_state["shopper"].signed_in
    assert "Sign in to see your orders" in thief.info[0].value

    again = open_page("pages/orders.py", ADA)  # the owner signing in again is welcome
    assert again.session_state["shopper"] == ADA
