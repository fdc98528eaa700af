"""The documented create options learners use, through the unmodified SDK, and the session list filters."""
import re
import time

import pytest
import requests
import stripe
from stripe.params.checkout import _session_create_params as create_params

from stripe_sandbox.checkout import options as session_options
from tests.fixtures_sandbox import complete_session, post_hosted_form, session_params

OPTIONS = dict(
    allowed_payment_method_types=["card"], phone_number_collection={"enabled": True},
    billing_address_collection="required", customer_creation="always", locale="fr", submit_type="donate",
    custom_text={"submit": {"message": "We ship in <b>2 days</b>."},
                 "after_submit": {"message": "Thank you!"}},
)
GOOD_FORM = {"email": "ada@example.com", "name": "Ada Lovelace", "line1": "12 St James's Sq", "city": "London",
             "postal_code": "SW1Y 4JH", "country": "GB", "payment_method": "card",
             "card_number": "4242 4242 4242 4242", "expiry": "12 / 39", "cvc": "123"}


def literal_values(annotation) -> set[str]:
    """The quoted choices in one of the SDK's Literal[...] parameter annotations."""
    return set(re.findall(r"'([^']+)'", str(annotation))) - {""}


def test_the_value_lists_are_the_pinned_sdks_own():
    declared = create_params.SessionCreateParams.__annotations__
    assert literal_values(declared["locale"]) == session_options.LOCALES
    assert literal_values(declared["submit_type"]) == set(session_options.SUBMIT_TYPES)
    assert literal_values(declared["billing_address_collection"]) == {"auto", "required"}
    assert literal_values(declared["customer_creation"]) == {"always", "if_required"}
    assert literal_values(declared["allowed_payment_method_types"]) == session_options.PAYMENT_METHOD_TYPES
    assert set(create_params.SessionCreateParamsCustomText.__annotations__) == set(
        session_options.CUSTOM_TEXT_PLACES)
    # The pinned API version removed payment_method_types from create: the sandbox says so.
    assert "payment_method_types" not in declared


def test_options_are_reflected_in_the_typed_session(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(**OPTIONS))
    assert isinstance(session, stripe.checkout.Session)
    assert session.payment_method_types == ["card"] and session.allowed_payment_method_types == ["card"]
    assert session.phone_number_collection.enabled is True
    assert (session.billing_address_collection, session.customer_creation) == ("required", "always")
    assert (session.locale, session.submit_type) == ("fr", "donate")
    assert session.custom_text.submit.message == "We ship in <b>2 days</b>."
    assert session.custom_text.after_submit.message == "Thank you!" and session.custom_text.shipping_address is None
    declared = set(stripe.checkout.Session.__annotations__)
    assert set(session.to_dict()) <= declared
    assert set(session.to_dict()["custom_text"]) <= set(stripe.checkout.Session.CustomText.__annotations__)
    plain = sandbox_client.v1.checkout.sessions.create(params=session_params())
    assert plain.payment_method_types == ["card", "customer_balance"] and plain.locale is None
    assert plain.phone_number_collection.enabled is False and plain.customer_creation == "if_required"


def test_paying_fills_phone_and_creates_the_customer(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(**OPTIONS))
    paid = complete_session(sandbox_client, session.id, phone="+44 20 7946 0958")
    assert paid.customer_details.phone == "+44 20 7946 0958"
    assert paid.customer.startswith("cus_")
    plain = complete_session(sandbox_client, sandbox_client.v1.checkout.sessions.create(
        params=session_params()).id)
    assert plain.customer is None and plain.customer_details.phone is None


def test_a_missing_phone_or_a_method_not_allowed_is_refused(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(**OPTIONS))
    with pytest.raises(stripe.InvalidRequestError) as caught:
        complete_session(sandbox_client, session.id, phone="")
    assert caught.value.param == "phone"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        complete_session(sandbox_client, session.id, payment_method="bank_transfer")
    assert caught.value.param == "payment_method"
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "open"


BAD = {
    "unknown locale": (dict(locale="xx"), "locale"),
    "unknown submit_type": (dict(submit_type="give"), "submit_type"),
    "bad billing_address_collection": (dict(billing_address_collection="sometimes"), "billing_address_collection"),
    "bad customer_creation": (dict(customer_creation="never"), "customer_creation"),
    "non-boolean phone flag": (dict(phone_number_collection={"enabled": "yes"}), "phone_number_collection[enabled]"),
    "phone without enabled": (dict(phone_number_collection={"on": "true"}), "phone_number_collection[on]"),
    "custom text too long": (dict(custom_text={"submit": {"message": "x" * 1201}}), "custom_text[submit][message]"),
    "custom text place unknown": (dict(custom_text={"footer": {"message": "x"}}), "custom_text[footer]"),
    "terms text (needs consent_collection)": (dict(custom_text={"terms_of_service_acceptance": {"message": "x"}}),
                                              "custom_text[terms_of_service_acceptance]"),
    "unknown payment method type": (dict(allowed_payment_method_types=["bitcoin"]),
                                    "allowed_payment_method_types[0]"),
    "only methods the sandbox cannot take": (dict(allowed_payment_method_types=["klarna"]),
                                             "allowed_payment_method_types"),
    "everything excluded": (dict(excluded_payment_method_types=["card", "customer_balance"]),
                            "excluded_payment_method_types"),
    "tutorial's payment_method_types": (dict(payment_method_types=["card"]), "payment_method_types"),
}


@pytest.mark.parametrize("overrides,param", BAD.values(), ids=BAD.keys())
def test_bad_option_values_are_400s_naming_the_param(sandbox_client, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(**overrides))
    assert caught.value.http_status == 400 and caught.value.param == param


def test_payment_method_types_error_points_to_its_replacement(sandbox_client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(payment_method_types=["card"]))
    assert "allowed_payment_method_types" in str(caught.value) and "2026-09-30.endive" in str(caught.value)


def test_allowed_methods_filter_to_what_the_sandbox_takes(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        allowed_payment_method_types=["klarna", "customer_balance"]))
    assert session.payment_method_types == ["customer_balance"]
    paid = complete_session(sandbox_client, session.id, payment_method="bank_transfer")
    assert (paid.status, paid.payment_status) == ("complete", "unpaid")


def test_hosted_page_shows_the_options(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(**OPTIONS))
    html = requests.get(session.url).text
    assert '<html lang="fr">' in html
    assert 'name="phone"' in html and 'type="tel"' in html
    assert re.search(r'id="pay-button">Donate ', html)
    # Merchant text is shown as text: the markup in it is escaped, never rendered.
    assert "We ship in &lt;b&gt;2 days&lt;/b&gt;." in html and "<b>2 days</b>" not in html
    assert "Thank you!" in html
    assert 'value="bank_transfer"' not in html and 'value="card"' in html
    without_phone = post_hosted_form(session.url, GOOD_FORM)
    assert without_phone.status_code == 422 and "Enter your phone number." in without_phone.text
    paid = post_hosted_form(session.url, {**GOOD_FORM, "phone": "+44 20 7946 0958"})
    assert paid.status_code == 303
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).customer_details.phone == "+44 20 7946 0958"


def test_list_filters_as_stripe_documents_them(sandbox_client):
    before = int(time.time()) - 1
    first = sandbox_client.v1.checkout.sessions.create(params=session_params())
    second = sandbox_client.v1.checkout.sessions.create(params=session_params())
    paid = complete_session(sandbox_client, second.id, email="Grace.Hopper@example.com")
    listing = sandbox_client.v1.checkout.sessions.list
    by_email = listing(params={"customer_details": {"email": "grace.hopper@example.com"}})
    assert [s.id for s in by_email.data] == [second.id]
    assert [s.id for s in listing(params={"payment_intent": paid.payment_intent}).data] == [second.id]
    complete = {s.id for s in listing(params={"status": "complete", "limit": 100}).data}
    assert second.id in complete and first.id not in complete
    recent = {s.id for s in listing(params={"created": {"gte": before}, "limit": 100}).data}
    assert {first.id, second.id} <= recent
    assert listing(params={"created": {"lt": before - 3600}}).data == []
    assert [s.id for s in listing(params={"created": str(paid.created), "payment_intent": paid.payment_intent}
                                  ).data] == [second.id]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        listing(params={"created": {"after": before}})
    assert caught.value.param == "created[after]"
