"""GET /v1/events and /v1/events/{id} through the unmodified SDK: the events the sandbox sent, typed as
stripe.Event, filtered by type and created, paged like every list."""
import time

import pytest
import stripe

from harness.waiting import wait_until
from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for
from tests.sdk_types import undeclared_fields

DAY = 24 * 3600


@pytest.fixture
def recorded(start_sandbox, webhook_receiver):
    """A client of a sandbox that recorded and delivered five events, what it delivered, and the sessions
    (paid three days ago, expired, paid and refunded)."""
    client = stripe_client_for(start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url))
    old = client.v1.checkout.sessions.create(params=session_params())
    client.raw_request("post", f"/v1/test_helpers/checkout/sessions/{old.id}/backdate",
                       created=str(int(time.time()) - 3 * DAY))
    complete_session(client, old.id)
    expired = client.v1.checkout.sessions.create(params=session_params())
    client.v1.checkout.sessions.expire(expired.id)
    refunded = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    client.v1.refunds.create(params={"payment_intent": refunded.payment_intent})
    sent = {hit.json()["id"]: hit.json() for hit in webhook_receiver.wait_for(5)}
    return client, sent, (old.id, expired.id, refunded.id)


def test_listed_events_are_the_ones_sent_newest_first_and_typed(recorded):
    client, sent, (old, expired, refunded) = recorded
    listed = client.v1.events.list()
    assert isinstance(listed, stripe.ListObject) and listed.url == "/v1/events" and not listed.has_more
    assert {e.id for e in listed.data} == set(sent)
    assert [e.type for e in listed.data] == ["charge.refunded", "refund.created", "checkout.session.completed",
                                             "checkout.session.expired", "checkout.session.completed"]
    assert [e.data.object.id for e in listed.data[2:]] == [refunded, expired, old]
    assert all(isinstance(e, stripe.Event) for e in listed.data)
    charge, refund, session = (listed.data[i].data.object for i in (0, 1, 2))
    assert (type(charge), type(refund), type(session)) == (stripe.Charge, stripe.Refund, stripe.checkout.Session)
    for event, classes in zip(listed.data, (stripe.Charge, stripe.Refund, *[stripe.checkout.Session] * 3),
                              strict=True):
        assert undeclared_fields(event.to_dict(), stripe.Event) == []
        assert undeclared_fields(event.to_dict()["data"]["object"], classes) == []


def test_retrieve_answers_the_event_as_delivered_with_its_pending_webhooks_now(recorded):
    client, sent, _ = recorded
    for delivered in sent.values():
        assert delivered["pending_webhooks"] == 1  # one endpoint had it to come when it was sent
    wait_until(lambda: len(client.v1.events.list(params={"delivery_success": True}).data) == 5)
    assert client.v1.events.list(params={"delivery_success": False}).data == []
    for event_id, delivered in sent.items():
        event = client.v1.events.retrieve(event_id)
        assert isinstance(event, stripe.Event) and event.pending_webhooks == 0
        assert {**event.to_dict(), "pending_webhooks": 1} == delivered
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.events.retrieve("evt_missing")
    assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")


def test_events_filter_by_type_types_and_created(recorded):
    client, _, _ = recorded

    def ids(**params) -> list[str]:
        """The ids the list gives for these filters."""
        return [e.id for e in client.v1.events.list(params=params).data]

    by_type = {}
    for event in client.v1.events.list().data:
        by_type.setdefault(event.type, []).append(event.id)
    assert ids(type="checkout.session.completed") == by_type["checkout.session.completed"]
    assert len(ids(type="checkout.session.*")) == 3 and ids(type="refund.*") == by_type["refund.created"]
    assert ids(types=["refund.created", "charge.refunded"]) == by_type["charge.refunded"] + by_type["refund.created"]
    backdated = by_type["checkout.session.completed"][-1]
    a_day_ago = int(time.time()) - DAY
    assert ids(created={"lt": a_day_ago}) == [backdated]
    assert len(ids(created={"gte": a_day_ago})) == 4
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.events.list(params={"type": "refund.created", "types": ["refund.created"]})
    assert caught.value.param == "type"


def test_events_page_by_cursor_like_every_list(recorded):
    client, _, _ = recorded
    newest_first = [e.id for e in client.v1.events.list().data]
    page = client.v1.events.list(params={"limit": 2})
    assert [e.id for e in page.data] == newest_first[:2] and page.has_more
    after = client.v1.events.list(params={"limit": 2, "starting_after": page.data[-1].id})
    assert [e.id for e in after.data] == newest_first[2:4] and after.has_more
    before = client.v1.events.list(params={"limit": 2, "ending_before": after.data[0].id})
    assert [e.id for e in before.data] == newest_first[:2]
    assert [e.id for e in page.auto_paging_iter()] == newest_first
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.events.list(params={"starting_after": "evt_missing"})
    assert (caught.value.param, caught.value.code) == ("starting_after", "resource_missing")
