"""PaymentIntent objects as Stripe shows them: one made through the API, and the one behind a Checkout Session."""
from __future__ import annotations

import time

from ..api.ids import random_token
from .charges import charge_id
from .params import IntentSpec

# A Checkout Session's payment_status and the status its payment intent has then.
SESSION_STATUS = {"paid": "succeeded", "unpaid": "processing", "no_payment_required": "succeeded"}


def base_intent(intent_id: str, amount: int, currency: str, created: int, details: dict) -> dict:
    """Every field of a card payment intent, awaiting its payment method."""
    return {
        "id": intent_id, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
        "amount_details": {"tip": {}}, "amount_received": 0, "application": None,
        "application_fee_amount": None, "automatic_payment_methods": None, "canceled_at": None,
        "cancellation_reason": None, "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{random_token(25)}", "confirmation_method": "automatic",
        "created": created, "currency": currency, "customer": None,
        "description": details.get("description"), "last_payment_error": None, "latest_charge": None,
        "livemode": False, "metadata": details.get("metadata", {}), "next_action": None,
        "on_behalf_of": None, "payment_method": None, "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"installments": None, "mandate_options": None, "network": None,
                                            "request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"], "processing": None,
        "receipt_email": details.get("receipt_email"), "review": None,
        "setup_future_usage": details.get("setup_future_usage"), "shipping": details.get("shipping"),
        "source": None, "statement_descriptor": None,
        "statement_descriptor_suffix": details.get("statement_descriptor_suffix"),
        "status": "requires_payment_method", "transfer_data": None, "transfer_group": None,
    }


def new_intent(intent_id: str, spec: IntentSpec) -> dict:
    """A payment intent made through POST /v1/payment_intents, before any confirmation."""
    intent = base_intent(intent_id, spec.amount, spec.currency, int(time.time()), spec.details)
    intent.update(automatic_payment_methods=spec.automatic_payment_methods,
                  capture_method=spec.capture_method, confirmation_method=spec.confirmation_method,
                  payment_method_types=spec.payment_method_types)
    if spec.payment_method:
        intent["status"] = "requires_confirmation"
    return intent


def succeeded(intent: dict, payment_method: str) -> None:
    """The intent after its charge went through."""
    intent.update(status="succeeded", payment_method=payment_method, amount_received=intent["amount"],
                  latest_charge=charge_id(intent["id"]), last_payment_error=None)


def declined(intent: dict, payment_method: dict, decline) -> None:
    """The intent after its charge was declined: it waits for another payment method."""
    intent.update(status="requires_payment_method", payment_method=None, latest_charge=charge_id(intent["id"]),
                  last_payment_error={"charge": charge_id(intent["id"]), "code": decline.code,
                                      "decline_code": decline.decline_code, "message": decline.message,
                                      "payment_method": payment_method, "type": "card_error"})


def intent_of_session(session: dict, data: dict) -> dict:
    """The payment intent behind a completed Checkout Session, as retrieving it shows it now."""
    details = dict(data)
    if "shipping" not in details and (session.get("collected_information") or {}).get("shipping_details"):
        shipping = session["collected_information"]["shipping_details"]
        details["shipping"] = {"address": shipping["address"], "carrier": None, "name": shipping["name"],
                               "phone": None, "tracking_number": None}
    intent = base_intent(session["payment_intent"], session["amount_total"], session["currency"],
                         session["created"], details)
    status = SESSION_STATUS.get(session["payment_status"], "processing")
    intent.update(customer=session["customer"], payment_method_types=list(session["payment_method_types"]),
                  status=status,
                  client_secret=f"{session['payment_intent']}_secret_checkout")
    if status == "succeeded":
        intent.update(amount_received=session["amount_total"], latest_charge=charge_id(session["payment_intent"]))
    return intent
